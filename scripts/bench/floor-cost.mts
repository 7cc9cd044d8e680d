// The framework's floor under the shop's server cost: each payment path's shape in the empty App
// Router app (scripts/bench/build.mts writes them), making the same gateway calls with the shop's
// client against the same bank, and nothing else, in the same process model (one `next start`, the
// bank in a process of its own), at the same load, in the same run, before the shop's runs and
// after (bracketFloor). No checkout can cost less CPU than that action, no return less than that
// page: the shop's CPU per request is budgeted as a multiple of theirs.
import type { Bank } from './bank.mjs';
import { FLOOR_PROXIED_ACTION, FLOOR_WRITING_ACTION } from './build.mjs';
import { LOAD } from './config.mjs';
import { approvedHold, benchClient, CART_AMOUNT } from './gateway-baseline.mjs';
import { httpLoad, type LoadResult } from './load.mjs';
import { prepare, type PathCost } from './server-cost.mjs';
import type { BenchServer } from './server.mjs';
import { checkoutBody, isPaymentRedirect, newCheckoutKey, readCheckoutForm, withRetry } from './shopper.mjs';

export type FloorCost = {
  connections: number;
  action: LoadResult;
  /** The same action behind a pass-through proxy (not budgeted): what any proxy costs a post. */
  proxiedAction: LoadResult;
  /** That one also writing the checkout's order, attempt and call record with the shop's code (not budgeted). */
  writingAction: LoadResult;
  route: LoadResult;
  /** The same page with no gateway call: beside the shop's order page with none (not budgeted). */
  page: LoadResult;
  routeCalls: string[];
};

/**
 * The calls of a shopper's first return to an approved two-stage hold with capture on return (the
 * shop's default): what the floor's return makes before the shop's runs, checked against what the
 * shop's return made once they are done (routeCallsOf).
 */
export const EXPECTED_RETURN_CALLS: readonly string[] = ['status', 'deposit', 'status'];

/**
 * The floor measured before and after the shop's runs, each figure the mean of the two: the
 * machine's drift over the minutes between them (the same floor page measured 3.2 ms of CPU a
 * request, then 4.9 ms a few minutes later) then falls on both sides of the shop's ratio alike,
 * where one measurement after the shop's put all of it on one side. A return before the shop's
 * that made other calls than the shop's (an unexpected capture setting) is left out, and the
 * report says so.
 */
export function bracketFloor(before: FloorCost, after: FloorCost): FloorCost {
  const sameCalls = before.routeCalls.join() === after.routeCalls.join();
  const note = `the empty app's return before the shop's runs made ${before.routeCalls.join(', ')}, the shop's ${after.routeCalls.join(', ')}: only the run after the shop's counts`;
  return {
    ...after,
    action: meanOf(before.action, after.action),
    proxiedAction: meanOf(before.proxiedAction, after.proxiedAction),
    writingAction: meanOf(before.writingAction, after.writingAction),
    route: sameCalls ? meanOf(before.route, after.route) : { ...after.route, notes: [...after.route.notes, note] },
    page: meanOf(before.page, after.page),
  };
}

function meanOf(before: LoadResult, after: LoadResult): LoadResult {
  const mean = (pick: (row: LoadResult) => number) => (pick(before) + pick(after)) / 2;
  const statuses = { ...before.statuses };
  for (const [status, n] of Object.entries(after.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  return {
    ...after,
    name: `${after.name} (mean of a run before the shop's and one after)`,
    seconds: before.seconds + after.seconds,
    requests: before.requests + after.requests,
    requestsPerSecond: mean((row) => row.requestsPerSecond),
    latencyMs: {
      p50: mean((row) => row.latencyMs.p50),
      p99: mean((row) => row.latencyMs.p99),
      mean: mean((row) => row.latencyMs.mean),
      max: Math.max(before.latencyMs.max, after.latencyMs.max),
    },
    errors: before.errors + after.errors,
    statuses,
    peakRssBytes: Math.max(before.peakRssBytes, after.peakRssBytes),
    serverCpuMsPerRequest: mean((row) => row.serverCpuMsPerRequest),
    clientCpuMsPerRequest: mean((row) => row.clientCpuMsPerRequest),
    notes: [
      `CPU ${before.serverCpuMsPerRequest.toFixed(2)} ms a request before the shop's runs, ${after.serverCpuMsPerRequest.toFixed(2)} after`,
      ...before.notes.map((note) => `before: ${note}`),
      ...after.notes.map((note) => `after: ${note}`),
    ],
  };
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
  const pay = async (name: string, path: string) => {
    const form = await readCheckoutForm(floor.base, path);
    return httpLoad({
      name,
      server: floor,
      path,
      method: 'POST',
      headers: { origin: floor.base },
      connections,
      seconds: LOAD.durationSeconds,
      next: () => {
        const { body, contentType } = checkoutBody(form, newCheckoutKey(), 'one-stage');
        return { body, headers: { 'content-type': contentType } };
      },
      expect: (status, location) => isPaymentRedirect(bank.base, status, location),
    });
  };
  const action = await pay('Floor: empty no-JS server action with useActionState → register.do → 303', '/act');
  const proxiedAction = await pay('Floor: the same action behind a pass-through proxy.ts (not budgeted)', FLOOR_PROXIED_ACTION);
  const writingAction = await pay(
    "Floor: that one also writing the order, its attempt and the call's record with the shop's storage code (not budgeted)",
    FLOOR_WRITING_ACTION,
  );
  // Each return needs a hold of its own, approved by card; as many as this rate can use, warm-up included.
  const wanted = Math.ceil((action.requestsPerSecond / 2) * (LOAD.warmUpSeconds + LOAD.durationSeconds) * 1.2) + 30;
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
    next: () => ({ path: `/back?order=${encodeURIComponent(holds[next++]!)}&amount=${CART_AMOUNT}&calls=${routeCalls.join(',')}` }),
    expect: (status) => status === 200,
  });
  const page = await httpLoad({
    name: 'Floor: empty page rendered per request, no gateway call → 200 (not budgeted)',
    server: floor,
    path: `/back?order=none&amount=${CART_AMOUNT}&calls=`,
    headers: {},
    connections,
    seconds: LOAD.durationSeconds,
    expect: (status) => status === 200,
  });
  for (const row of [action, proxiedAction, writingAction, route, page]) {
    log(
      `  ${row.name} ×${connections}: p50 ${row.latencyMs.p50.toFixed(1)} ms, floor CPU ${row.serverCpuMsPerRequest.toFixed(2)} ms/req, errors ${row.errors}, statuses ${JSON.stringify(row.statuses)}`,
    );
  }
  return { connections, action, proxiedAction, writingAction, route, page, routeCalls: [...routeCalls] };
}
