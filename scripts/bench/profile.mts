// BENCH_CPU_PROFILE=<dir>: a CPU profile of each load run's measured part, from each server that
// served it (scripts/bench/profile-on-signal.cjs, preloaded into every bench server), beside a
// note of the run it belongs to; `profile-summary.mts` reads them through the build's source maps.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './config.mjs';

/** The directory profiles go to, or undefined when the bench profiles nothing. */
function profileDir(): string | undefined {
  const dir = process.env.BENCH_CPU_PROFILE;
  return dir ? path.resolve(dir) : undefined;
}

/** The node flags that load the profiler into a bench server (none when not profiling); makes the directory. */
export function profilerFlags(): string[] {
  const dir = profileDir();
  if (!dir) return [];
  mkdirSync(dir, { recursive: true });
  return ['-r', path.join(ROOT, 'scripts/bench/profile-on-signal.cjs')];
}

export type RunNote = { run: string; server: string; requests: number; seconds: number };

/**
 * Starts profiling the process `pid` (preloaded with the profiler); the function returned stops
 * it and waits until the profile is written as `<dir>/<file>.cpuprofile`, with `<file>.json`
 * saying which run it was and how many requests it answered. Nothing happens when not profiling.
 */
export function startProfile(pid: number, file: string): (note: RunNote) => Promise<string | undefined> {
  const dir = profileDir();
  if (!dir) return async () => undefined;
  process.kill(pid, 'SIGUSR2');
  return async (note) => {
    const target = path.join(dir, `${file}.cpuprofile`);
    const name = path.join(dir, `${pid}.name`);
    writeFileSync(name, path.basename(target));
    process.kill(pid, 'SIGUSR2');
    const deadline = Date.now() + 60_000;
    while (!existsSync(target)) {
      if (Date.now() > deadline) throw new Error(`no CPU profile ${target} within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    rmSync(name, { force: true });
    writeFileSync(`${target}.json`, `${JSON.stringify(note, null, 2)}\n`);
    return target;
  };
}

/** A file name from a run's name: "Checkout submission POST /checkout (…)" → "checkout-submission-post-checkout". */
export function fileNameOf(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/\(.*$/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'run'
  );
}
