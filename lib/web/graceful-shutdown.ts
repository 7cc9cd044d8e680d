// Restarts without loss. On SIGTERM (systemd's stop, a rolling deploy) the server, in order:
//   1. stops taking connections (the listening socket closes; readiness answers 503 meanwhile),
//      and asks keep-alive clients to go (`Connection: close`, idle connections closed);
//   2. lets every request it has accepted finish — a checkout's register.do, a return's
//      deposit.do — for at most SHUTDOWN_TIMEOUT_MS;
//   3. runs what the services registered (onShutdown): the reconciler stops after the attempt it
//      has claimed, the mail outbox's sender after its drain, the sandbox's dispatcher after its
//      delivery, then the database closes. These get SHUTDOWN_TIMEOUT_MS more between them: one
//      that has not finished by then is logged and left behind (the next one runs), so that a
//      hung gateway or mail server never holds the exit until the supervisor's SIGKILL;
//   4. exits 0.
// A request cut off by the bound leaves the payment where the reconciler of any instance finds it
// (a register.do or deposit.do without an answer is taken up after inFlightMs).
//
// `next start` exits at once on SIGTERM (143) unless NEXT_MANUAL_SIG_HANDLE is set: the start
// script sets it, and install() also takes Next's own handlers off, so that no path exits early.
// Next does not expose its HTTP server: like installPeerStamp (./client-address.ts), the servers
// are found where they emit their requests. State is kept on globalThis: this module is bundled
// more than once (instrumentation apart from the routes).
import { Server, type IncomingMessage, type ServerResponse } from 'node:http';

type Closer = { name: string; close: () => Promise<void> };
type State = {
  servers: Set<Server>;
  inFlight: number;
  draining: boolean;
  closers: Closer[];
  idle: Set<() => void>;
};

const KEY = Symbol.for('mirpay.graceful-shutdown');
const holder = globalThis as typeof globalThis & { [KEY]?: State };

function state(): State {
  holder[KEY] ??= { servers: new Set(), inFlight: 0, draining: false, closers: [], idle: new Set() };
  return holder[KEY];
}

/** Something to close once the accepted requests are done, in registration order. */
export function onShutdown(name: string, close: () => Promise<void>): void {
  state().closers.push({ name, close });
}

export function isDraining(): boolean {
  return state().draining;
}

export type ShutdownOptions = {
  timeoutMs: number;
  log: (event: string, fields: Record<string, unknown>) => void;
  exit?: (code: number) => void;
};

/** Tracks the server's requests and handles SIGTERM and SIGINT as above (idempotent). */
export function installGracefulShutdown(options: ShutdownOptions): void {
  const current = state();
  if (Reflect.get(current, 'installed')) return;
  Reflect.set(current, 'installed', true);
  const emit = Server.prototype.emit;
  Server.prototype.emit = function tracked(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') track(this, args[0] as IncomingMessage, args[1] as ServerResponse);
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof Server.prototype.emit;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => void shutdown(signal, options));
  }
}

function track(server: Server, _request: IncomingMessage, response: ServerResponse): void {
  const current = state();
  current.servers.add(server);
  current.inFlight++;
  // A request that came on a kept-alive connection after the signal is served, and its client
  // told to reconnect (to another instance): refusing it would be a 5xx to a request taken.
  if (current.draining) response.setHeader('Connection', 'close');
  response.once('close', () => {
    current.inFlight--;
    if (current.inFlight === 0) for (const resolve of current.idle) resolve();
  });
}

async function shutdown(signal: string, options: ShutdownOptions): Promise<void> {
  const current = state();
  if (current.draining) return;
  current.draining = true;
  const started = Date.now();
  options.log('shutdown.begin', { signal, inFlight: current.inFlight, timeoutMs: options.timeoutMs });
  for (const server of current.servers) {
    server.close();
    server.closeIdleConnections();
  }
  const drained = await Promise.race([
    new Promise<boolean>((resolve) => {
      if (current.inFlight === 0) return resolve(true);
      current.idle.add(() => resolve(true));
    }),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), options.timeoutMs).unref()),
  ]);
  const closersDeadline = Date.now() + options.timeoutMs;
  for (const closer of current.closers) {
    const outcome = await within(closersDeadline - Date.now(), Promise.resolve().then(closer.close));
    if (outcome === 'timeout') options.log('shutdown.close_timeout', { what: closer.name, timeoutMs: options.timeoutMs });
    else if (outcome !== 'done') options.log('shutdown.close_failed', { what: closer.name, error: messageOf(outcome.error) });
  }
  options.log('shutdown.end', { drained, inFlight: current.inFlight, tookMs: Date.now() - started });
  (options.exit ?? process.exit)(0);
}

/**
 * How a closer ended within `ms`. One whose time is already up still runs: one that finishes at
 * once (the database's close) still finishes, before the timer fires.
 */
async function within(ms: number, closing: Promise<void>): Promise<'done' | 'timeout' | { error: unknown }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, ms))));
  try {
    return await Promise.race([closing.then((): 'done' => 'done'), timeout]);
  } catch (error) {
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
