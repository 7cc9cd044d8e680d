// Two load drivers with the same shape of result. autocannon sends the shop's HTTP requests
// (fixed connections, fixed duration, loopback); clientLoad runs the real gateway client's calls
// with the same concurrency and duration. Every response is checked: a status or a redirect
// target other than the expected one is an error, so a 403, a 429 or a form re-rendered with an
// error (200 instead of 303) never counts as a served request.
import autocannon from 'autocannon';
import type { BenchServer } from './server.mjs';
import { describeError } from './shopper.mjs';

export type LoadResult = {
  name: string;
  /** autocannon against the shop, or the gateway client's calls from this process. */
  driver: 'autocannon' | 'gateway client';
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  /** Unexpected statuses or redirects, socket errors and timeouts (or thrown calls). */
  errors: number;
  statuses: Record<string, number>;
  peakRssBytes: number;
  /** CPU the server process spent per request (user + system), in ms: what contention on the machine does not inflate. */
  serverCpuMsPerRequest: number;
  /** CPU the bench process spent per request, in ms: for the gateway-client runs, the client's side of the calls. */
  clientCpuMsPerRequest: number;
  notes: string[];
};

/** CPU of the server and of this process around a run. */
function cpuMeter(server: BenchServer) {
  const serverStart = server.cpuSeconds();
  const clientStart = process.cpuUsage();
  return (requests: number) => {
    const client = process.cpuUsage(clientStart);
    return {
      serverCpuMsPerRequest: ((server.cpuSeconds() - serverStart) * 1000) / (requests || 1),
      clientCpuMsPerRequest: (client.user + client.system) / 1000 / (requests || 1),
    };
  };
}

export type HttpScenario = {
  name: string;
  server: BenchServer;
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Buffer;
  connections: number;
  seconds: number;
  /** Per request: the path/body/headers to send (e.g. a fresh key, the next prepared order). */
  next?: () => { path?: string; body?: Buffer; headers?: Record<string, string> };
  /** At most this many requests (a pool of prepared orders): the run ends early rather than send one twice. */
  maxRequests?: number;
  /** Whether a response is the real, successful path. */
  expect: (status: number, location: string | undefined) => boolean;
};

export async function httpLoad(scenario: HttpScenario): Promise<LoadResult> {
  const statuses: Record<string, number> = {};
  let unexpected = 0;
  const rss = scenario.server.sampleRss();
  const cpu = cpuMeter(scenario.server);
  const started = performance.now();
  // Latency of every response as autocannon times it, kept here in full precision (its own
  // histogram keeps whole milliseconds), so that both drivers use the same percentiles.
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: scenario.server.base,
        connections: scenario.connections,
        duration: scenario.seconds,
        // Each connection stops after its share: no prepared request is ever sent twice.
        ...(scenario.maxRequests ? { maxOverallRequests: scenario.maxRequests } : {}),
        pipelining: 1,
        timeout: 30,
        requests: [
          {
            method: scenario.method ?? 'GET',
            path: scenario.path,
            headers: scenario.headers,
            body: scenario.body,
            setupRequest: (request: autocannon.Request) => {
              if (!scenario.next) return request;
              const next = scenario.next();
              return {
                ...request,
                ...(next.path ? { path: next.path } : {}),
                ...(next.body ? { body: next.body } : {}),
                headers: { ...request.headers, ...next.headers },
              };
            },
            onResponse: (status: number, _body: string, _context: unknown, headers?: Record<string, string | string[]>) => {
              statuses[status] = (statuses[status] ?? 0) + 1;
              const location = headerValue(headers, 'location');
              if (!scenario.expect(status, location)) unexpected++;
            },
          } as autocannon.Request,
        ],
      },
      (error: Error | null, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  });
  const elapsed = (performance.now() - started) / 1000;
  const peakRssBytes = rss.stop();
  const notes: string[] = [];
  const endedEarly = scenario.maxRequests !== undefined && elapsed < scenario.seconds - 0.5;
  if (endedEarly)
    notes.push(
      `the ${scenario.maxRequests} prepared requests were all sent after ${elapsed.toFixed(1)} s (the run ended early, its last requests on fewer connections)`,
    );
  // autocannon's errors include its timeouts.
  const socketErrors = result.errors;
  if (socketErrors > 0) notes.push(`${result.errors - result.timeouts} socket errors, ${result.timeouts} timeouts`);
  const seconds = endedEarly ? elapsed : scenario.seconds;
  return {
    name: scenario.name,
    driver: 'autocannon',
    connections: scenario.connections,
    seconds,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / seconds,
    latencyMs: latencyStats(latencies),
    errors: unexpected + socketErrors,
    statuses,
    peakRssBytes,
    ...cpu(result.requests.total),
    notes,
  };
}

/** Nearest-rank percentiles, mean and max of latencies in ms. */
function latencyStats(values: number[]): LoadResult['latencyMs'] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : Number.NaN);
  return {
    p50: at(0.5),
    p99: at(0.99),
    mean: sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

function headerValue(headers: Record<string, string | string[]> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

export type ClientScenario = {
  name: string;
  server: BenchServer;
  concurrency: number;
  seconds: number;
  /** One unit of work (one or more gateway calls); false = nothing left to do. */
  task: () => Promise<boolean>;
};

/** `concurrency` workers call `task` back to back until the time is up; latency per task. */
export async function clientLoad(scenario: ClientScenario): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let exhausted = false;
  const rss = scenario.server.sampleRss();
  const cpu = cpuMeter(scenario.server);
  const started = performance.now();
  const deadline = started + scenario.seconds * 1000;
  const failures = new Map<string, number>();
  await Promise.all(
    Array.from({ length: scenario.concurrency }, async () => {
      while (performance.now() < deadline && !exhausted) {
        const t0 = performance.now();
        try {
          if (!(await scenario.task())) {
            exhausted = true;
            break;
          }
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          const message = describeError(error);
          failures.set(message, (failures.get(message) ?? 0) + 1);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const peakRssBytes = rss.stop();
  const notes = [...failures].map(([message, n]) => `${n}× ${message}`);
  if (exhausted) notes.push(`prepared orders ran out after ${seconds.toFixed(1)} s`);
  return {
    name: scenario.name,
    driver: 'gateway client',
    connections: scenario.concurrency,
    seconds,
    requests: latencies.length,
    requestsPerSecond: latencies.length / seconds,
    latencyMs: latencyStats(latencies),
    errors,
    statuses: {},
    peakRssBytes,
    ...cpu(latencies.length),
    notes,
  };
}
