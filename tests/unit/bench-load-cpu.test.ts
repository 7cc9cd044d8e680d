// The bench reads a server's CPU for a run once the server has gone quiet (scripts/bench/load.mts):
// the work it does after answering (a deposit after the response, idle-time garbage collection)
// counts for the run whose requests caused it.
import { describe, expect, it } from 'vitest';
import { quietCpuSeconds } from '../../scripts/bench/load.mjs';

/** A server that keeps spending CPU for `busyMs` after the call, at half a core, then nothing. */
function serverBusyFor(busyMs: number) {
  const started = Date.now();
  return { cpuSeconds: () => Math.min(Date.now() - started, busyMs) / 2 / 1000 };
}

describe('the CPU of a run', () => {
  it('includes what the server still does after the last answer', async () => {
    const server = serverBusyFor(600);
    const read = await quietCpuSeconds(server, 100, 5000);
    expect(read).toBeCloseTo(0.3, 5);
  });

  it('is read at the latest after the cap when the server never goes quiet', async () => {
    const started = Date.now();
    const read = await quietCpuSeconds(serverBusyFor(60_000), 100, 500);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(read).toBeGreaterThan(0.2);
    expect(read).toBeLessThan(0.75);
  });
});
