// The sandbox's bank latency (SANDBOX_LATENCY_MS ± SANDBOX_LATENCY_JITTER_MS): the delay of one
// call stays within its bounds, and the REST methods really wait for it over HTTP, while the
// payment page (not a REST method) does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient } from '../../lib/gateway/client';
import { delayOf } from '../../lib/sandbox/latency';
import { SANDBOX_AUTH, startSandboxServer, type SandboxServer } from '../helpers/sandbox-server';

describe('delayOf', () => {
  it('is the configured latency without jitter', () => {
    expect(delayOf({ ms: 150, jitterMs: 0 }, () => 0.99)).toBe(150);
  });
  it('spreads uniformly over ± the jitter, never below 0', () => {
    expect(delayOf({ ms: 150, jitterMs: 20 }, () => 0)).toBe(130);
    expect(delayOf({ ms: 150, jitterMs: 20 }, () => 0.5)).toBe(150);
    expect(delayOf({ ms: 150, jitterMs: 20 }, () => 0.999999)).toBe(170);
    expect(delayOf({ ms: 10, jitterMs: 50 }, () => 0)).toBe(0);
  });
});

describe('a sandbox with latency, over HTTP', () => {
  const LATENCY_MS = 150;
  /** Far above any scheduling delay of a loaded machine: what stays under it was not delayed. */
  const LONG_LATENCY_MS = 5000;
  let slow: SandboxServer;
  let fast: SandboxServer;
  let veryslow: SandboxServer;
  beforeAll(async () => {
    slow = await startSandboxServer({ latency: { ms: LATENCY_MS, jitterMs: 0 } });
    fast = await startSandboxServer();
    // The same sandbox (one database) behind a very slow network: its pages must not wait.
    veryslow = await startSandboxServer({ db: fast.db, latency: { ms: LONG_LATENCY_MS, jitterMs: 0 } });
  });
  afterAll(async () => {
    await veryslow.close();
    await slow.close();
    await fast.close();
  });

  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const started = performance.now();
    const result = await work();
    return [result, performance.now() - started];
  };
  const clientOf = (server: SandboxServer) =>
    createGatewayClient({ baseUrl: server.restUrl, auth: SANDBOX_AUTH, timeoutMs: 10_000, statusRetries: 0 });
  const register = (server: SandboxServer, orderNumber: string) =>
    clientOf(server).register({ orderNumber, amount: 10_000, returnUrl: `${server.url}/ok`, pageView: 'MOBILE' });

  it('delays every REST call by the latency', async () => {
    const [registered, registerMs] = await timed(() => register(slow, `LAT-${Date.now().toString(36)}`));
    const [status, statusMs] = await timed(() => clientOf(slow).getOrderStatusExtended({ orderId: registered.orderId }));
    expect(status.orderStatus).toBe(0);
    expect(registerMs).toBeGreaterThanOrEqual(LATENCY_MS - 1);
    expect(statusMs).toBeGreaterThanOrEqual(LATENCY_MS - 1);
  });

  it('leaves the payment page undelayed', async () => {
    const registered = await register(fast, `LAT-${Date.now().toString(36)}-p`);
    const formUrl = new URL(registered.formUrl);
    const [status, pageMs] = await timed(() =>
      fetch(`${veryslow.url}${formUrl.pathname}${formUrl.search}`).then(async (response) => (await response.text(), response.status)),
    );
    expect(status).toBe(200);
    expect(pageMs).toBeLessThan(LONG_LATENCY_MS);
  });
});
