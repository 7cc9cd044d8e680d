// The guards that replace `instanceof` for gateway errors: a production build may hold two copies
// of lib/gateway/errors.ts in different server chunks (seen in `next build` output: the checkout
// action could not recognise a GatewayHttpError thrown by the services' copy and answered 500).
import { describe, expect, it, vi } from 'vitest';

async function freshCopy() {
  vi.resetModules();
  return import('../../lib/gateway/errors');
}

describe('isGatewayError / isOrderNotFound', () => {
  it('recognise an error created by another copy of the module, where instanceof does not', async () => {
    const a = await freshCopy();
    const b = await freshCopy();
    expect(a.GatewayError).not.toBe(b.GatewayError);
    const error = new a.GatewayHttpError({ operation: 'register', message: 'HTTP 500', httpStatus: 500 });
    expect(error instanceof b.GatewayError).toBe(false);
    expect(b.isGatewayError(error)).toBe(true);
    expect(
      b.isOrderNotFound(new a.GatewayOrderNotFoundError({ operation: 'getOrderStatusExtended', message: 'not found', errorCode: 6 })),
    ).toBe(true);
    expect(b.isOrderNotFound(error)).toBe(false);
  });

  it('are false for anything else', async () => {
    const { isGatewayError } = await freshCopy();
    for (const value of [new Error('x'), null, undefined, 'GatewayError', { name: 'GatewayError' }])
      expect(isGatewayError(value)).toBe(false);
  });
});
