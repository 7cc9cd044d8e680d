// The shopper's return as app/checkout/return/route.ts runs it: the answer, then what it leaves for
// after the response (a two-stage hold's deposit). Tests that stand for the whole route use this.
import type { ShopContext } from '../../lib/payments/context';
import { handleReturn, type ReturnOutcome } from '../../lib/payments/shopper-sync';

export async function returnAsTheRouteDoes(ctx: ShopContext, params: URLSearchParams): Promise<ReturnOutcome> {
  const outcome = await handleReturn(ctx, params);
  if (outcome.kind === 'synced') await outcome.afterResponse?.();
  return outcome;
}
