// The framework's floor under the shop's server cost: each payment path's shape in the empty App
// Router app (scripts/bench/build.mts writes them), making the same gateway calls with the shop's
// client against the same bank, and nothing else, in the same process model (one `next start`, the
// bank in a process of its own), at the same load, in the same run. No checkout can cost less CPU
// than that route, no return less than that page: the shop's CPU per request is budgeted as a
// multiple of theirs (measured in alternating rounds, cpu-rounds.mts). The runs here, after the
// shop's, give the figures shown beside the shop's runs, and those not budgeted: what a server
// action costs over the route, what the checkout's writes cost, the page with no gateway call.
import type { Bank } from './bank.mjs';
import { FLOOR_ACTION, FLOOR_PAY_FORM, FLOOR_WRITING_PAY_FORM } from './build.mjs';
import { LOAD } from './config.mjs';
import { approvedHold, benchClient, CART_AMOUNT } from './gateway-baseline.mjs';
import { httpLoad, type LoadResult } from './load.mjs';
import { checkoutLoad, prepare, type PathCost } from './server-cost.mjs';
import type { BenchServer } from './server.mjs';
import { readCheckoutForm, withRetry } from './shopper.mjs';

export type FloorCost = {
  connections: number;
  /** "Pay": the form's post to a route handler → register.do → 303. */
  pay: LoadResult;
  /** The same "Pay" as a server action (not budgeted): what Next charges for an action over a route. */
  action: LoadResult;
  /** The route also writing the checkout's order, attempt and call record with the shop's code (not budgeted). */
  writingPay: LoadResult;
  route: LoadResult;
  /** The same page with no gateway call: beside the shop's order page with none (not budgeted). */
  page: LoadResult;
  routeCalls: string[];
};

/** The empty app's return page for the hold `order`, making `calls` (build.mts writes the page). */
export function floorReturnPath(order: string, calls: readonly string[]): string {
  return `/back?order=${encodeURIComponent(order)}&amount=${CART_AMOUNT}&calls=${calls.join(',')}`;
}

/**
 * The floor route's calls: those the shop's return made per request (the ledger's counts, rounded),
 * in the order a return makes them: a status read, the deposit(s), the further reads.
 */
export function routeCallsOf(shopReturn: PathCost | undefined): string[] {
  const reads = Math.round(shopReturn?.callsPerRequest.getOrderStatusExtended ?? 1);
  const deposits = Math.round(shopReturn?.callsPerRequest.deposit ?? 0);
  const calls = reads > 0 ? ['status'] : [];
  for (let i = 0; i < deposits; i++) calls.push('deposit');
  for (let i = 1; i < reads; i++) calls.push('status');
  return calls;
}

/** `floor` is the floor app's server, its gateway `bank`. */
export async function measureFloorCost(
  floor: BenchServer,
  bank: Bank,
  routeCalls: readonly string[],
  log: (line: string) => void,
): Promise<FloorCost> {
  const client = benchClient(bank.restUrl);
  const connections = LOAD.connections;
  const pay = async (name: string, path: string) =>
    httpLoad({ ...checkoutLoad(floor, bank, await readCheckoutForm(floor.base, path), { origin: floor.base }), name });
  const payRoute = await pay('Floor: empty route handler taking the form post → register.do → 303', FLOOR_PAY_FORM);
  const action = await pay('Floor: the same "Pay" as a no-JS server action with useActionState (not budgeted)', FLOOR_ACTION);
  const writingPay = await pay(
    "Floor: the route also writing the order, its attempt and the call's record with the shop's storage code (not budgeted)",
    FLOOR_WRITING_PAY_FORM,
  );
  // Each return needs a hold of its own, approved by card; as many as this rate can use, warm-up included.
  const wanted = Math.ceil((payRoute.requestsPerSecond / 2) * (LOAD.warmUpSeconds + LOAD.durationSeconds) * 1.2) + 30;
  // Their returnUrl is on http://localhost, an origin the bank accepts; nobody follows it.
  const holds = await prepare(wanted, 0, () => withRetry(() => approvedHold(client, 'http://localhost'), []));
  let next = 0;
  const route = await httpLoad({
    name: `Floor: empty page rendered per request, GET → ${routeCalls.join(', ')} → 200`,
    server: floor,
    path: '/back',
    headers: {},
    connections,
    seconds: LOAD.durationSeconds,
    maxRequests: holds.length,
    next: () => ({ path: floorReturnPath(holds[next++]!, routeCalls) }),
    expect: (status) => status === 200,
  });
  const page = await httpLoad({
    name: 'Floor: empty page rendered per request, no gateway call → 200 (not budgeted)',
    server: floor,
    path: floorReturnPath('none', []),
    headers: {},
    connections,
    seconds: LOAD.durationSeconds,
    expect: (status) => status === 200,
  });
  for (const row of [payRoute, action, writingPay, route, page]) {
    log(
      `  ${row.name} ×${connections}: p50 ${row.latencyMs.p50.toFixed(1)} ms, floor CPU ${row.serverCpuMsPerRequest.toFixed(2)} ms/req, errors ${row.errors}, statuses ${JSON.stringify(row.statuses)}`,
    );
  }
  return { connections, pay: payRoute, action, writingPay, route, page, routeCalls: [...routeCalls] };
}
