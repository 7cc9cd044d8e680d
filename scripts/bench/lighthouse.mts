// Lighthouse (mobile preset: its default config, a mid-range Android phone on slow 4G with 4×
// CPU slowdown, simulated) on every page, in rounds of one run per page; each page's median is
// reported.
// One headless Debian Chromium (CHROMIUM_PATH, else /usr/bin/chromium; never a downloaded one) is
// shared by the runs: Lighthouse opens a fresh tab and clears the origin's cache and storage for
// each. Cookies a page needs go in as extra headers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import { chromiumPath, CHROMIUM_FLAGS } from './chromium.mjs';
import type { BenchPage } from './pages.mjs';
import { freePort } from './server.mjs';

export type LighthouseRun = {
  score: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  totalBytes: number;
  status: number | null;
  /** Lighthouse's measure of this machine's speed at that moment (lower = slower or busier). */
  benchmarkIndex: number;
  warnings: string[];
};

export type LighthouseResult = {
  page: string;
  path: string;
  /** How long the runs waited for a quiet machine, and how idle its CPUs were then. */
  quiet: Quiet;
  runs: LighthouseRun[];
  median: Omit<LighthouseRun, 'status' | 'benchmarkIndex' | 'warnings'>;
  warnings: string[];
};

/**
 * `runs` rounds, each running every page once in the given order (the empty App Router page
 * first): a page's runs sit beside the empty page's in time, so that the machine's drift over the
 * minutes the runs take (its benchmark index moved from 2 800 to 1 500 within one bench) falls on
 * both sides of a ratio alike, where page after page it fell on whichever page came last.
 */
export async function runLighthouse(pages: readonly BenchPage[], runs: number, log: (line: string) => void): Promise<LighthouseResult[]> {
  const browser = await launchChromium();
  try {
    const done = pages.map(() => [] as LighthouseRun[]);
    const warnings = pages.map(() => new Set<string>());
    // Once, not measured: the server loads a route's code on its first request.
    for (const page of pages) await fetch(page.url, { headers: page.headers }).then((response) => response.arrayBuffer());
    const quiets: Quiet[] = [];
    for (let round = 0; round < runs; round++) {
      const quiet = await quietCpu();
      quiets.push(quiet);
      if (!quiet.reached)
        for (const set of warnings)
          set.add(
            `the machine never got quiet before round ${round + 1}: ${Math.round(quiet.idle * 100)}% idle after ${quiet.waitedSeconds.toFixed(0)} s`,
          );
      for (const [index, page] of pages.entries()) {
        const run = await runWithRetries(browser.port, page, round, warnings[index]!);
        done[index]!.push(run);
        for (const warning of run.warnings) warnings[index]!.add(warning);
        log(
          `  ${page.name} run ${round + 1}: score ${run.score} LCP ${Math.round(run.lcpMs)} ms TBT ${Math.round(run.tbtMs)} ms CLS ${run.cls} ${run.totalBytes} B (benchmark index ${Math.round(run.benchmarkIndex)})`,
        );
      }
    }
    // The longest wait and the least idle machine of the rounds: what the report warns about.
    const quiet: Quiet = {
      waitedSeconds: Math.max(...quiets.map((q) => q.waitedSeconds)),
      idle: Math.min(...quiets.map((q) => q.idle)),
      reached: quiets.every((q) => q.reached),
    };
    return pages.map((page, index) => {
      const pageRuns = done[index]!;
      return {
        page: page.name,
        path: page.path,
        quiet,
        runs: pageRuns,
        median: {
          score: median(pageRuns.map((run) => run.score)),
          lcpMs: median(pageRuns.map((run) => run.lcpMs)),
          tbtMs: median(pageRuns.map((run) => run.tbtMs)),
          cls: median(pageRuns.map((run) => run.cls)),
          totalBytes: median(pageRuns.map((run) => run.totalBytes)),
        },
        warnings: [...warnings[index]!],
      };
    });
  } finally {
    await browser.close();
  }
}

/**
 * A navigation that fails on the network (Chrome then shows its error page, which Lighthouse
 * reports as an interstitial) is tried again twice and noted; a wrong status or a redirect
 * elsewhere is never retried.
 */
async function runWithRetries(port: number, page: BenchPage, round: number, warnings: Set<string>): Promise<LighthouseRun> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await oneRun(port, page);
    } catch (error) {
      if (!(error instanceof RetryableRun) || attempt >= 3) throw error;
      warnings.add(`run ${round + 1} tried again after ${error.message}`);
    }
  }
}

class RetryableRun extends Error {}

export type Quiet = { waitedSeconds: number; idle: number; reached: boolean };

const QUIET_IDLE = 0.9;
const QUIET_MAX_SECONDS = 10;

/**
 * Waits (at most 10 s: on a machine shared with other work it may never come) until the CPUs have
 * been at least 90% idle for a second. Lighthouse
 * multiplies the main-thread time it observes by its CPU slowdown, so any other work on the
 * machine (the server still finishing a build's or the last page's work, another process) turns
 * into TBT of the page under test.
 */
async function quietCpu(): Promise<Quiet> {
  const started = performance.now();
  let before = cpuTimes();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = cpuTimes();
    const idle = (now.idle - before.idle) / Math.max(1, now.total - before.total);
    const waitedSeconds = (performance.now() - started) / 1000;
    if (idle >= QUIET_IDLE || waitedSeconds >= QUIET_MAX_SECONDS) return { waitedSeconds, idle, reached: idle >= QUIET_IDLE };
    before = now;
  }
}

/** All CPUs' time so far, and the idle part of it, from /proc/stat (in clock ticks). */
function cpuTimes(): { total: number; idle: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …: idle and iowait are idle.
  return { total: fields.slice(0, 8).reduce((sum, n) => sum + n, 0), idle: fields[3]! + fields[4]! };
}

async function oneRun(port: number, page: BenchPage): Promise<LighthouseRun> {
  const result = await lighthouse(page.url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance'],
    extraHeaders: page.headers,
  });
  const lhr = result?.lhr;
  if (!lhr) throw new Error(`Lighthouse gave no result for ${page.path}`);
  if (lhr.runtimeError) throw new RetryableRun(`Lighthouse on ${page.path}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const audit = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const requests = (lhr.audits['network-requests']?.details as { items?: { url: string; statusCode: number }[] } | undefined)?.items ?? [];
  const document = requests.find((item) => item.url === lhr.finalDisplayedUrl) ?? requests[0];
  const run: LighthouseRun = {
    score: lhr.categories.performance?.score ?? Number.NaN,
    lcpMs: audit('largest-contentful-paint'),
    tbtMs: audit('total-blocking-time'),
    cls: audit('cumulative-layout-shift'),
    totalBytes: audit('total-byte-weight'),
    status: document?.statusCode ?? null,
    benchmarkIndex: lhr.environment.benchmarkIndex,
    warnings: [...lhr.runWarnings],
  };
  if (run.status !== 200) throw new Error(`Lighthouse on ${page.path}: the document answered ${run.status}, not 200`);
  if (new URL(lhr.finalDisplayedUrl).pathname !== new URL(page.url).pathname) {
    throw new Error(`Lighthouse on ${page.path} ended on ${lhr.finalDisplayedUrl}`);
  }
  return run;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function launchChromium(): Promise<{ port: number; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'bench-chromium-'));
  const child: ChildProcess = spawn(
    chromiumPath(),
    [
      '--headless=new',
      ...CHROMIUM_FLAGS,
      '--disable-default-apps',
      '--disable-extensions',
      '--no-default-browser-check',
      '--remote-debugging-address=127.0.0.1',
      `--remote-debugging-port=${await freePort()}`,
      `--user-data-dir=${userDataDir}`,
      'about:blank',
    ],
    // Its own process group, so that closing it ends its helper processes too.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not open its DevTools port: ${seen.slice(-500)}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}): ${seen.slice(-500)}`)));
  });
  // Keep draining stderr so Chromium never blocks on a full pipe.
  child.stderr!.resume();
  let exited = child.exitCode !== null || child.signalCode !== null;
  const exitedPromise = new Promise<void>((resolve) => {
    if (exited) resolve();
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  return {
    port,
    async close() {
      // The whole group: the browser's helpers (renderers, crashpad, the network service) write to
      // the profile too, and may outlive the browser process by a moment.
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, name);
        } catch {
          // already gone
        }
      };
      if (!exited) signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(timer);
      await removeProfile(userDataDir);
    },
  };
}

/**
 * Removes a Chromium profile once the browser is gone. A helper that still flushes a file makes
 * the recursive removal meet a directory that is not empty (ENOTEMPTY) or a file being replaced:
 * it is tried again, and a profile that still cannot be removed is left in the temp directory with
 * a warning; it never fails the run.
 */
export async function removeProfile(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (error) {
    console.warn(`Could not remove the Chromium profile ${dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
