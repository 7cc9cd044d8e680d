// The bench's load driver (scripts/bench/load.mts) runs each scenario unmeasured before it
// measures: against a real HTTP server, the measured figures must hold the measured requests
// alone, the hook that marks the ledger must fire between the two, and a pool of prepared requests
// (orders to return to) must never be sent twice across warm-up and run.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpLoad } from '../../scripts/bench/load.mjs';
import type { BenchServer } from '../../scripts/bench/server.mjs';

// Each case has a server of its own. With one shared server, the request a connection of the
// first case had just written when autocannon destroyed it could reach the server after the
// second case had begun: it was counted there as a path sent twice.
let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A server that answers every request after 50 ms, and what it has seen. */
async function benchServer(): Promise<{ bench: BenchServer; seen: string[] }> {
  const seen: string[] = [];
  server = createServer((request, response) => {
    seen.push(request.url ?? '');
    setTimeout(() => response.end('ok'), 50);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const cpu = () => {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1e6;
  };
  const bench: BenchServer = {
    base: `http://127.0.0.1:${port}`,
    port,
    pid: process.pid,
    databasePath: '',
    logPath: '',
    env: {},
    sampleRss: () => ({ stop: () => 0 }),
    peakRss: () => 0,
    rss: () => 0,
    cpuSeconds: cpu,
    profile: () => async () => undefined,
    alive: () => true,
    stop: async () => undefined,
  };
  return { bench, seen };
}

/** A run of prepared requests (after a 1 s warm-up), and how many of them httpLoad took from the pool. */
async function sendPool(bench: BenchServer, pool: string[], run: { connections: number; seconds: number }) {
  let taken = 0;
  const result = await httpLoad({
    name: 'pool',
    server: bench,
    path: '/',
    ...run,
    warmUpSeconds: 1,
    maxRequests: pool.length,
    next: () => ({ path: pool[taken++] }),
    expect: (status) => status === 200,
  });
  return { result, taken };
}

describe('httpLoad with a warm-up', () => {
  it('counts only the measured requests, and marks where they start', async () => {
    const { bench, seen } = await benchServer();
    let atMark = -1;
    const result = await httpLoad({
      name: 'warm',
      server: bench,
      path: '/x',
      connections: 2,
      warmUpSeconds: 1,
      seconds: 1,
      expect: (status) => status === 200,
      onMeasured: () => (atMark = seen.length),
    });
    expect(atMark).toBeGreaterThan(0);
    expect(result.requests).toBeGreaterThan(0);
    // Everything the server saw after the mark is the measured run (autocannon may leave a
    // request per connection unanswered at its end).
    expect(seen.length - atMark).toBeGreaterThanOrEqual(result.requests);
    expect(seen.length - atMark).toBeLessThanOrEqual(result.requests + 2);
    expect(result.errors).toBe(0);
  }, 20_000);

  it('never sends a prepared request twice, and ends early when the pool runs out', async () => {
    const { bench, seen } = await benchServer();
    const pool = Array.from({ length: 100 }, (_, i) => `/order/${i}`);
    const { result, taken } = await sendPool(bench, pool, { connections: 2, seconds: 5 });
    expect(taken).toBeLessThanOrEqual(pool.length);
    // Named, so that a failure shows which requests were wrong.
    expect(seen.filter((path) => !path.startsWith('/order/'))).toEqual([]);
    expect(seen.filter((path, i) => seen.indexOf(path) !== i)).toEqual([]);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.notes.some((note) => note.includes('in the warm-up') && note.includes('ended early'))).toBe(true);
  }, 20_000);

  it('sends a pool smaller than its connections once, each prepared request on a connection of its own', async () => {
    // autocannon splits maxOverallRequests among the connections and takes a share of 0 for "no
    // limit": 2 requests on 4 connections left two connections sending until the time was up.
    const { bench, seen } = await benchServer();
    const pool = ['/order/a', '/order/b'];
    const { taken } = await sendPool(bench, pool, { connections: 4, seconds: 1 });
    expect(taken).toBe(pool.length);
    expect([...seen].sort()).toEqual(pool);
  }, 20_000);
});
