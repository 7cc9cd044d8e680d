// The bench's load driver (scripts/bench/load.mts) runs each scenario unmeasured before it
// measures: against a real HTTP server, the measured figures must hold the measured requests
// alone, the hook that marks the ledger must fire between the two, and a pool of prepared requests
// (orders to return to) must never be sent twice across warm-up and run.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpLoad } from '../../scripts/bench/load.mjs';
import type { BenchServer } from '../../scripts/bench/server.mjs';

let server: Server;
let bench: BenchServer;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request.url ?? '');
    setTimeout(() => response.end('ok'), 50);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const cpu = () => {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1e6;
  };
  bench = {
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
    alive: () => true,
    stop: async () => undefined,
  };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('httpLoad with a warm-up', () => {
  it('counts only the measured requests, and marks where they start', async () => {
    seen.length = 0;
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
    seen.length = 0;
    const pool = Array.from({ length: 100 }, (_, i) => `/order/${i}`);
    let next = 0;
    const result = await httpLoad({
      name: 'pool',
      server: bench,
      path: '/',
      connections: 2,
      warmUpSeconds: 1,
      seconds: 5,
      maxRequests: pool.length,
      next: () => ({ path: pool[next++] }),
      expect: (status) => status === 200,
    });
    expect(next).toBeLessThanOrEqual(pool.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.every((path) => path.startsWith('/order/'))).toBe(true);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.notes.some((note) => note.includes('in the warm-up') && note.includes('ended early'))).toBe(true);
  }, 20_000);
});
