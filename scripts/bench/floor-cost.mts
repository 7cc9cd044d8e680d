// The framework's floor under the payment-path ratios: the same two request shapes in the empty
// App Router app (scripts/bench/build.mts writes them), with no shop behind them. A checkout can be
// no faster than a bare register.do plus this server action, a return no faster than its three
// bare calls plus this route handler; the report sets those floors beside the budgets.
import { LOAD } from './config.mjs';
import { httpLoad, type LoadResult } from './load.mjs';
import type { Ratio } from './server-cost.mjs';
import type { BenchServer } from './server.mjs';
import { checkoutBody, newCheckoutKey, readCheckoutForm } from './shopper.mjs';

export type FloorCost = { connections: number; action: LoadResult; route: LoadResult }[];

export async function measureFloorCost(server: BenchServer, log: (line: string) => void): Promise<FloorCost> {
  const form = await readCheckoutForm(server.base, '/act');
  const runs: FloorCost = [];
  for (const connections of [LOAD.connections, 1]) {
    const action = await httpLoad({
      name: 'Floor: empty no-JS server action with useActionState → 303',
      server,
      path: '/act',
      method: 'POST',
      headers: { origin: server.base },
      connections,
      seconds: LOAD.durationSeconds,
      next: () => {
        const { body, contentType } = checkoutBody(form, newCheckoutKey(), 'one-stage');
        return { body, headers: { 'content-type': contentType } };
      },
      expect: (status, location) => status === 303 && location !== undefined && location.startsWith('https://gateway.invalid/payment'),
    });
    const route = await httpLoad({
      name: 'Floor: empty route handler GET → 303',
      server,
      path: '/go',
      headers: {},
      connections,
      seconds: LOAD.durationSeconds,
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
 * Sets each payment-path ratio's framework floor: the ratio a shop doing nothing but the gateway
 * calls would have, on p50 (bare p50 + the empty path's p50, over bare p50) and on CPU per request
 * (bare CPU on both sides + the empty path's server CPU, over bare CPU).
 */
export function applyFloors(ratios: Ratio[], rows: readonly LoadResult[], floor: FloorCost): void {
  for (const ratio of ratios) {
    const run = floor.find((f) => f.connections === ratio.connections);
    const checkout = ratio.path.startsWith('Checkout');
    const bare = rows.find((row) => row.connections === ratio.connections && row.name.startsWith(checkout ? 'Bare register.do' : 'Bare getOrderStatusExtended.do'));
    if (!run || !bare) continue;
    const empty = checkout ? run.action : run.route;
    const bareCpu = bare.serverCpuMsPerRequest + bare.clientCpuMsPerRequest;
    ratio.floorP50 = (bare.latencyMs.p50 + empty.latencyMs.p50) / bare.latencyMs.p50;
    ratio.floorCpu = (bareCpu + empty.serverCpuMsPerRequest) / bareCpu;
  }
}
