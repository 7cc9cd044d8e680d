// The framework's floor under the payment-path ratios: each path's shape in the empty App Router
// app (scripts/bench/build.mts writes them), making the same bare gateway calls with the shop's
// client against the bench server's sandbox, and nothing else. No checkout can be cheaper than
// that action, no return cheaper than that route handler: their ratio over the bare calls is the
// lowest any shop on this Next.js reaches on this machine, and the report sets it beside each
// budget.
import { LOAD } from './config.mjs';
import { approvedHold, benchClient, CART_AMOUNT } from './gateway-baseline.mjs';
import { httpLoad, type LoadResult } from './load.mjs';
import { prepare, type Ratio } from './server-cost.mjs';
import type { BenchServer } from './server.mjs';
import { checkoutBody, isPaymentRedirect, newCheckoutKey, readCheckoutForm, withRetry } from './shopper.mjs';

export type FloorCost = { connections: number; action: LoadResult; route: LoadResult }[];

/** `floor` is the floor app's server, its gateway the sandbox of `gateway` (the bench server). */
export async function measureFloorCost(floor: BenchServer, gateway: BenchServer, log: (line: string) => void): Promise<FloorCost> {
  const form = await readCheckoutForm(floor.base, '/act');
  const client = benchClient(gateway.base);
  const runs: FloorCost = [];
  for (const connections of [LOAD.connections, 1]) {
    const action = await httpLoad({
      name: 'Floor: empty no-JS server action with useActionState → register.do → 303',
      server: floor,
      path: '/act',
      method: 'POST',
      headers: { origin: floor.base },
      connections,
      seconds: LOAD.durationSeconds,
      next: () => {
        const { body, contentType } = checkoutBody(form, newCheckoutKey(), 'one-stage');
        return { body, headers: { 'content-type': contentType } };
      },
      expect: (status, location) => isPaymentRedirect(gateway.base, status, location),
    });
    // Each return needs a hold of its own, approved by card; as many as this rate can use.
    const wanted = Math.ceil((action.requestsPerSecond / 2) * LOAD.durationSeconds * 1.2) + 50;
    const holds = await prepare(wanted, 0, () => withRetry(() => approvedHold(client, gateway.base), []));
    let next = 0;
    const route = await httpLoad({
      name: 'Floor: empty route handler GET → status, deposit, status → 303',
      server: floor,
      path: '/go',
      headers: {},
      connections,
      seconds: LOAD.durationSeconds,
      maxRequests: holds.length,
      next: () => ({ path: `/go?order=${encodeURIComponent(holds[next++]!)}&amount=${CART_AMOUNT}` }),
      expect: (status) => status === 303,
    });
    for (const row of [action, route]) {
      log(`  ${row.name} ×${connections}: p50 ${row.latencyMs.p50.toFixed(1)} ms, server CPU ${row.serverCpuMsPerRequest.toFixed(2)} ms/req, errors ${row.errors}, statuses ${JSON.stringify(row.statuses)}`);
    }
    runs.push({ connections, action, route });
  }
  return runs;
}

/**
 * Sets each payment-path ratio's framework floor, two ways:
 * - measured: the floor path's p50 over the bare calls' p50, at the same concurrency;
 * - as one server process would serve it: the shop and its sandbox share one event loop, so once
 *   it is saturated a path's p50 grows with the CPU it costs there. A floor shop's path costs the
 *   floor path's CPU (the framework and the client's calls) plus the sandbox's CPU for the same
 *   calls, against the sandbox's CPU alone for the bare calls.
 */
export function applyFloors(ratios: Ratio[], rows: readonly LoadResult[], floor: FloorCost): void {
  for (const ratio of ratios) {
    const run = floor.find((f) => f.connections === ratio.connections);
    const checkout = ratio.path.startsWith('Checkout');
    const bare = rows.find((row) => row.connections === ratio.connections && row.name.startsWith(checkout ? 'Bare register.do' : 'Bare getOrderStatusExtended.do'));
    if (!run || !bare) continue;
    const path = checkout ? run.action : run.route;
    ratio.floorP50 = path.latencyMs.p50 / bare.latencyMs.p50;
    ratio.floorCpu = (path.serverCpuMsPerRequest + bare.serverCpuMsPerRequest) / bare.serverCpuMsPerRequest;
  }
}
