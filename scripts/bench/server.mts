// A bench server: `next start` of this build (the shop, or the shop's sandbox playing the bank in a
// process of its own) on a free loopback port, with a fresh database, and its output in a log file.
// Its memory is read from /proc: VmRSS sampled
// (process and any children) while a measurement runs, and VmHWM (the kernel's peak) at the end.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readdirSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { APP_ENV_VARIABLES, OUT_DIR, ROOT, SERVER_SETTINGS } from './config.mjs';
import { fileNameOf, profilerFlags, startProfile, type RunNote } from './profile.mjs';

export type BenchServer = {
  base: string;
  port: number;
  pid: number;
  databasePath: string;
  logPath: string;
  env: Record<string, string>;
  /** Samples the RSS of the server's process tree every 100 ms until stopped; returns the peak in bytes. */
  sampleRss(): { stop(): number };
  /** The kernel's high-water mark of the server process's RSS since it started, in bytes. */
  peakRss(): number;
  /** RSS of the server's process tree now, in bytes. */
  rss(): number;
  /** CPU time (user + system) the server's process tree has used so far, in seconds. */
  cpuSeconds(): number;
  /**
   * With BENCH_CPU_PROFILE: profiles the server from now until the function returned is called
   * (scripts/bench/profile.mts); without it, does nothing.
   */
  profile(run: string): (note: Omit<RunNote, 'run' | 'server'>) => Promise<string | undefined>;
  alive(): boolean;
  stop(): Promise<void>;
};

/**
 * The bench's ports: BENCH_PORTS (e.g. 3500-3599, the default) on a machine shared with others'
 * servers. Each call takes the next port of the range that is free to listen on.
 */
const [FIRST_PORT, LAST_PORT] = (process.env.BENCH_PORTS ?? '3500-3599').split('-').map(Number) as [number, number];
let nextPort = FIRST_PORT;

export async function freePort(): Promise<number> {
  while (nextPort <= LAST_PORT) {
    const port = nextPort++;
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port left in ${FIRST_PORT}-${LAST_PORT} (BENCH_PORTS)`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Where the servers' logs and SQLite databases go. */
const RUN_DIR = path.join(OUT_DIR, 'run');

/** A new, empty SQLite database file for this run under bench-results/run/ (the last run's removed). */
export function freshDatabase(name: string): string {
  mkdirSync(RUN_DIR, { recursive: true });
  const file = path.join(RUN_DIR, `${name}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  return file;
}

/**
 * The shop, or with `cwd` another built app (the floor), which has no health route. `env`: settings
 * on top of the bench's own (the floor app's gateway). `port`: one chosen beforehand (another
 * server must know this one's origin before it starts).
 */
export async function startServer(
  name: string,
  options: { cwd?: string; readyPath?: string; env?: Record<string, string>; port?: number } = {},
): Promise<BenchServer> {
  const cwd = options.cwd ?? ROOT;
  const readyPath = options.readyPath ?? '/api/health';
  const port = options.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  mkdirSync(RUN_DIR, { recursive: true });
  const databasePath = options.env?.DATABASE_URL ?? freshDatabase(name);
  const logPath = path.join(RUN_DIR, `${name}.log`);
  const log = openSync(logPath, 'w');

  const appEnv: Record<string, string> = Object.fromEntries(APP_ENV_VARIABLES.map((key) => [key, '']));
  const env: Record<string, string> = {
    ...appEnv,
    ...SERVER_SETTINGS,
    PORT: String(port),
    APP_URL: base,
    DATABASE_URL: databasePath,
    ...options.env,
  };
  // The server's stdout (one JSON line per gateway call) goes to a file, never to a pipe nobody reads.
  // No `-H 127.0.0.1`: Next 16.4 then takes the proxy's language rewrites for external ones (it
  // compares its own "localhost" with "127.0.0.1") and every shopper page answers 404 (README).
  const child = spawn(process.execPath, [...profilerFlags(), path.join(ROOT, 'scripts/bench/next-start.cjs'), '-p', String(port)], {
    cwd,
    // The heap limit `npm start` sets (package.json): without it V8 grows the heap lazily to a
    // size chosen from the machine's memory, and RSS says more about the machine than the shop.
    env: { ...process.env, ...env, NODE_ENV: 'production', NODE_OPTIONS: '--max-old-space-size=256' },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error('next start did not start');
  let exited = false;
  let stopping = false;
  let profiles = 0;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      // The measurements after this would be of a dead server: say so at once.
      if (!stopping) console.error(`\nThe bench server (pid ${pid}) exited unexpectedly: code ${code}, signal ${signal}; see ${logPath}`);
      resolve();
    }),
  );

  // Ready when the health route answers: it also builds the services (database migrated, sandbox on).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`next start exited early; see ${logPath}`);
    try {
      const response = await fetch(`${base}${readyPath}`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`next start not ready after 60 s; see ${logPath}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    base,
    port,
    pid,
    databasePath,
    logPath,
    env,
    sampleRss() {
      let peak = treeRss(pid);
      const timer = setInterval(() => {
        peak = Math.max(peak, treeRss(pid));
      }, 100);
      return {
        stop() {
          clearInterval(timer);
          peak = Math.max(peak, treeRss(pid));
          return peak;
        },
      };
    },
    peakRss: () => statusField(pid, 'VmHWM'),
    rss: () => treeRss(pid),
    cpuSeconds: () => tree(pid).reduce((sum, one) => sum + cpuOf(one), 0),
    profile(run) {
      profiles += 1;
      const stop = startProfile(pid, `${name}-${String(profiles).padStart(2, '0')}-${fileNameOf(run)}`);
      return (note) => stop({ run, server: name, ...note });
    },
    alive: () => !exited,
    async stop() {
      stopping = true;
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}

/** VmRSS of a process and all its descendants, in bytes. */
function treeRss(root: number): number {
  return tree(root).reduce((sum, pid) => sum + statusField(pid, 'VmRSS'), 0);
}

/** utime + stime from /proc/<pid>/stat, in seconds (USER_HZ is 100 on Linux). */
export function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** A process and all its descendants. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  const all: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    all.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return all;
}

function statusField(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
