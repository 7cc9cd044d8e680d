// The bench's CPU profiles (BENCH_CPU_PROFILE, scripts/bench/profile.mts): a profile of exactly
// the part of a run it is asked for, from a real process, and its summary by source location.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileNameOf, startProfile } from '../../scripts/bench/profile.mjs';
import { inclusiveMs, sourceLocator, type CallFrame, type CpuProfile } from '../../scripts/bench/profile-summary.mjs';
import { cpuOf } from '../../scripts/bench/server.mjs';

const frame = (functionName: string, url = ''): CallFrame => ({ functionName, url, lineNumber: 0, columnNumber: 0 });

describe('a profile summed by location', () => {
  // (root) → handle → query → query (recursive), and handle → render; one idle sample.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 6] },
      { id: 2, callFrame: frame('handle'), children: [3, 5] },
      { id: 3, callFrame: frame('query'), children: [4] },
      { id: 4, callFrame: frame('query') },
      { id: 5, callFrame: frame('render') },
      { id: 6, callFrame: frame('(idle)') },
    ],
    samples: [4, 5, 3, 6],
    timeDeltas: [1000, 2000, 500, 9000],
  };
  const { totalMs, byLocation } = inclusiveMs(profile, (f) => f.functionName);

  it('counts each sample once for every function on its stack, once however deep it recurses', () => {
    expect(byLocation.get('query')).toBe(1.5);
    expect(byLocation.get('render')).toBe(2);
    expect(byLocation.get('handle')).toBe(3.5);
  });

  it('leaves idle time out', () => {
    expect(totalMs).toBe(3.5);
    expect(byLocation.has('(idle)')).toBe(false);
  });
});

describe('a frame located through the build’s source map', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-profile-map-'));

  it('names the source file, line and function it was built from', () => {
    const built = path.join(dir, '.next/server/chunks/x.js');
    mkdirSync(path.dirname(built), { recursive: true });
    writeFileSync(built, 'function a(){}\n');
    // Line 1, column 0 of the chunk is line 3 of app/[lang]/page.tsx, the name "OrderPage".
    const map = { version: 3, sources: ['../../../app/%5Blang%5D/page.tsx'], names: ['OrderPage'], mappings: 'AAEAA' };
    writeFileSync(`${built}.map`, JSON.stringify(map));
    const locate = sourceLocator();
    expect(locate(frame('a', `file://${built}`))).toBe('OrderPage app/[lang]/page.tsx:3');
    expect(locate(frame('emit', 'node:events'))).toBe('emit node:events:1');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('a profile of part of a run', () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  const previous = process.env.BENCH_CPU_PROFILE;
  afterEach(() => {
    child?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.BENCH_CPU_PROFILE;
    else process.env.BENCH_CPU_PROFILE = previous;
  });

  it('is written by the process itself, between the two signals, with a note of the run', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'bench-profile-'));
    process.env.BENCH_CPU_PROFILE = dir;
    // A process that spends CPU in a function of its own until it is killed.
    const busy = 'function spin(){const end=Date.now()+5;while(Date.now()<end);} setInterval(spin,10); console.log("ready")';
    child = spawn(process.execPath, ['-r', path.resolve('scripts/bench/profile-on-signal.cjs'), '-e', busy], {
      env: { ...process.env, BENCH_CPU_PROFILE: dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child!.stdout!.once('data', () => resolve()));
    const cpuBefore = cpuOf(child.pid!);
    const stop = startProfile(child.pid!, fileNameOf('Checkout submission POST /checkout (no-JS server action)'));
    // Until the child has spent 0.3 s of CPU, not for a fixed time: on a machine busy with the rest
    // of the suite it may get little of it in any given 400 ms.
    for (let waited = 0; cpuOf(child.pid!) - cpuBefore < 0.3 && waited < 20_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const file = await stop({ run: 'checkout', server: 'test', requests: 7, seconds: 0.4 });

    expect(file).toBe(path.join(dir, 'checkout-submission-post-checkout.cpuprofile'));
    const profile = JSON.parse(readFileSync(file!, 'utf8')) as CpuProfile;
    const { totalMs, byLocation } = inclusiveMs(profile, (f) => f.functionName);
    expect(byLocation.get('spin')).toBeGreaterThan(50);
    expect(totalMs).toBeLessThan(1000);
    expect(JSON.parse(readFileSync(`${file}.json`, 'utf8'))).toMatchObject({ run: 'checkout', requests: 7 });
    expect(existsSync(path.join(dir, `${child.pid}.name`))).toBe(false);
  });

  it('is nothing at all when the bench profiles nothing', async () => {
    delete process.env.BENCH_CPU_PROFILE;
    const stop = startProfile(process.pid, 'unused');
    expect(await stop({ run: 'x', server: 'y', requests: 1, seconds: 1 })).toBeUndefined();
  });
});
