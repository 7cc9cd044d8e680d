// The floor the payment paths' CPU is budgeted against (scripts/bench/floor-cost.mts): measured
// before and after the shop's runs, each figure the mean of the two, unless the run before made
// other gateway calls than the shop's return.
import { describe, expect, it } from 'vitest';
import { bracketFloor, type FloorCost } from '../../scripts/bench/floor-cost.mjs';
import { proxyNote, writingNote } from '../../scripts/bench/report.mjs';
import type { LoadResult } from '../../scripts/bench/load.mjs';

const row = (name: string, cpu: number, requests: number, p50: number): LoadResult => ({
  name,
  driver: 'autocannon',
  connections: 10,
  seconds: 10,
  requests,
  requestsPerSecond: requests / 10,
  latencyMs: { p50, p99: p50 * 2, mean: p50, max: p50 * 3 },
  errors: 0,
  statuses: { '200': requests },
  peakRssBytes: 1000,
  serverCpuMsPerRequest: cpu,
  clientCpuMsPerRequest: 0.1,
  notes: [],
});

const floor = (cpu: number, requests: number, routeCalls: string[]): FloorCost => ({
  connections: 10,
  action: row('action', cpu, requests, 160),
  proxiedAction: row('proxied action', cpu + 1, requests, 165),
  writingAction: row('writing action', cpu + 2, requests, 166),
  route: row('route', cpu * 2, requests / 2, 470),
  page: row('page', cpu / 2, requests * 4, 20),
  routeCalls,
});

describe('bracketFloor', () => {
  it('takes the mean of the CPU a request before and after, whatever the request counts', () => {
    const bracketed = bracketFloor(floor(6, 600, ['status', 'deposit', 'status']), floor(9, 300, ['status', 'deposit', 'status']));
    expect(bracketed.action.serverCpuMsPerRequest).toBe(7.5);
    expect(bracketed.proxiedAction.serverCpuMsPerRequest).toBe(8.5);
    expect(bracketed.writingAction.serverCpuMsPerRequest).toBe(9.5);
    expect(bracketed.route.serverCpuMsPerRequest).toBe(15);
    expect(bracketed.page.serverCpuMsPerRequest).toBe(3.75);
    expect(bracketed.action.requests).toBe(900);
    expect(bracketed.action.seconds).toBe(20);
    expect(bracketed.action.statuses).toEqual({ '200': 900 });
    expect(bracketed.action.notes[0]).toBe("CPU 6.00 ms a request before the shop's runs, 9.00 after");
  });

  it('keeps only the return run after the shop’s when the one before made other calls', () => {
    const after = floor(9, 300, ['status']);
    const bracketed = bracketFloor(floor(6, 600, ['status', 'deposit', 'status']), after);
    expect(bracketed.route.serverCpuMsPerRequest).toBe(after.route.serverCpuMsPerRequest);
    expect(bracketed.action.serverCpuMsPerRequest).toBe(7.5);
    expect(bracketed.route.notes.join()).toMatch(/only the run after the shop's counts/);
  });
});

describe('proxyNote', () => {
  it('states the pass-through proxy’s CPU beside the same action without it, from the bracketed figures', () => {
    const bracketed = bracketFloor(floor(5, 600, ['status']), floor(7, 600, ['status']));
    const note = proxyNote(bracketed);
    expect(note).toContain(
      'proxy.ts (`NextResponse.next()`, nothing read) 7.00 ms of CPU a request, 1.00 ms (17 %) over the same action without one',
    );
    expect(note).toContain('not budgeted');
  });
});

describe('writingNote', () => {
  it('states the writing action over the proxied one, and the shop’s checkout as a multiple of it', () => {
    const bracketed = bracketFloor(floor(5, 600, ['status']), floor(7, 600, ['status']));
    const note = writingNote(bracketed, 12);
    expect(note).toContain('8.00 ms of CPU a request, 1.00 ms over the proxied action (not budgeted)');
    expect(note).toContain("The shop's checkout, 12.00 ms, is 1.50× that");
  });
});
