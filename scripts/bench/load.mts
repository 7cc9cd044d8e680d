// Two load drivers with the same shape of result. autocannon sends the shop's HTTP requests
// (fixed connections, fixed duration, loopback); clientLoad runs the real gateway client's calls
// with the same concurrency and duration. Every response is checked: a status or a redirect
// target other than the expected one is an error, so a 403, a 429 or a form re-rendered with an
// error (200 instead of 303) never counts as a served request.
import autocannon from 'autocannon';
import { LOAD } from './config.mjs';
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

/**
 * CPU of the server and of this process around a run. The server's is read once it has gone quiet
 * after the run: what it does after answering (a two-stage return's deposit after the response,
 * garbage collection in idle time) is part of what the run's requests cost. Read at the moment
 * the last answer arrived, the work after the last requests fell outside every run, a larger
 * share of a short run than of a long one.
 */
function cpuMeter(server: BenchServer) {
  const serverStart = server.cpuSeconds();
  const clientStart = process.cpuUsage();
  return async (requests: number) => {
    const client = process.cpuUsage(clientStart);
    const serverEnd = await quietCpuSeconds(server);
    return {
      serverCpuMsPerRequest: ((serverEnd - serverStart) * 1000) / (requests || 1),
      clientCpuMsPerRequest: (client.user + client.system) / 1000 / (requests || 1),
    };
  };
}

/**
 * The server's CPU seconds once a stretch of `stretchMs` cost it at most one clock tick (10 ms,
 * the resolution of /proc), so at most 4 % of a core; at the latest after `maxMs`.
 */
export async function quietCpuSeconds(server: Pick<BenchServer, 'cpuSeconds'>, stretchMs = 250, maxMs = 5000): Promise<number> {
  const deadline = Date.now() + maxMs;
  let last = server.cpuSeconds();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, stretchMs));
    const now = server.cpuSeconds();
    if (now - last <= 0.01 || Date.now() >= deadline) return now;
    last = now;
  }
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
  /** Unmeasured seconds of the same requests before the measured run; LOAD.warmUpSeconds unless set. */
  warmUpSeconds?: number;
  /** Called when the measured run starts, after the warm-up (a ledger's mark of what it did). */
  onMeasured?: () => void;
};

/**
 * The scenario run unmeasured for its warm-up (LOAD.warmUpSeconds by default), then measured for its own seconds. A server
 * just started runs its code cold: V8 compiles a path's functions as they grow hot, and the CPU a
 * request costs falls for the first 20 s or so of load (the order page measured 16.9, 13.2 and
 * 10.5 ms a request in three 8 s runs back to back). Every server, shop and empty app alike, is
 * measured the way it runs once in service, so that no ratio holds one side's start-up.
 */
export async function httpLoad(scenario: HttpScenario): Promise<LoadResult> {
  let sent = 0;
  const counted: HttpScenario = scenario.next ? { ...scenario, next: () => (sent++, scenario.next!()) } : scenario;
  const warmUp = await autocannonRun(counted, scenario.warmUpSeconds ?? LOAD.warmUpSeconds, scenario.maxRequests);
  const warmUpErrors = warmUp.unexpected + warmUp.result.errors;
  // The requests still in flight when the warm-up stopped finish before the meters start.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  scenario.onMeasured?.();
  const stopProfile = scenario.server.profile(scenario.name);
  const rss = scenario.server.sampleRss();
  const cpu = cpuMeter(scenario.server);
  const started = performance.now();
  const left = scenario.maxRequests === undefined ? undefined : scenario.maxRequests - sent;
  const run = left === undefined || left > 0 ? await autocannonRun(counted, scenario.seconds, left) : undefined;
  const elapsed = (performance.now() - started) / 1000;
  const peakRssBytes = rss.stop();
  const requests = run?.result.requests.total ?? 0;
  const notes: string[] = [];
  if (warmUpErrors > 0) notes.push(`${warmUpErrors} errors in the warm-up: ${JSON.stringify(warmUp.statuses)}`);
  const endedEarly = left !== undefined && elapsed < scenario.seconds - 0.5;
  if (endedEarly)
    notes.push(
      `the ${scenario.maxRequests} prepared requests (${scenario.maxRequests! - left!} of them in the warm-up) were all sent after ${elapsed.toFixed(1)} s of the measured run (it ended early, its last requests on fewer connections)`,
    );
  // autocannon's errors include its timeouts.
  const socketErrors = run?.result.errors ?? 0;
  if (socketErrors > 0) notes.push(`${socketErrors - run!.result.timeouts} socket errors, ${run!.result.timeouts} timeouts`);
  const seconds = endedEarly ? elapsed : scenario.seconds;
  // The CPU first: writing the profile out is the profiler's work, not the run's.
  const cpuFigures = await cpu(requests);
  await stopProfile({ requests, seconds });
  return {
    name: scenario.name,
    driver: 'autocannon',
    connections: scenario.connections,
    seconds,
    requests,
    requestsPerSecond: requests / seconds,
    latencyMs: latencyStats(run?.latencies ?? []),
    errors: (run?.unexpected ?? 0) + socketErrors + warmUpErrors,
    statuses: run?.statuses ?? {},
    peakRssBytes,
    ...cpuFigures,
    notes,
  };
}

/** One autocannon run of the scenario for `seconds` (at most `maxRequests`), every answer checked. */
async function autocannonRun(scenario: HttpScenario, seconds: number, maxRequests: number | undefined) {
  const statuses: Record<string, number> = {};
  let unexpected = 0;
  // Latency of every response as autocannon times it, kept here in full precision (its own
  // histogram keeps whole milliseconds), so that both drivers use the same percentiles.
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: scenario.server.base,
        // Each connection stops after its share of maxOverallRequests, so no prepared request is
        // sent twice. autocannon takes a share of 0 for "no limit": never more connections than
        // requests left.
        connections: maxRequests ? Math.min(scenario.connections, maxRequests) : scenario.connections,
        duration: seconds,
        ...(maxRequests ? { maxOverallRequests: maxRequests } : {}),
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
  return { result, statuses, unexpected, latencies };
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
    ...(await cpu(latencies.length)),
    notes,
  };
}
