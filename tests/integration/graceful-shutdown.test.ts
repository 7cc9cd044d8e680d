// SIGTERM to a real server process with lib/web/graceful-shutdown.ts installed: the closers run in
// order, and one that never finishes (a gateway or mail server that stopped answering) or throws
// does not keep the process from exiting, or the closers after it from running.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, onTestFinished } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(ROOT, 'tests/fixtures/shutdown/server.ts');

type Line = { event: string; [field: string]: unknown };

/** Starts the fixture, sends SIGTERM once it listens (and has had `request` answered), and collects what it said. */
async function stopServer(timeoutMs: number, closers: string[]): Promise<{ code: number | null; lines: Line[]; tookMs: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, String(timeoutMs), ...closers], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Not left running when the test fails: that would be the hang this test is about.
  onTestFinished(() => void child.kill('SIGKILL'));
  const lines: Line[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let signalled = 0;
  for await (const text of createInterface({ input: child.stdout! })) {
    const line = JSON.parse(text) as Line;
    lines.push(line);
    if (line.event === 'listening') {
      // A request served before the signal: the server is tracked, as Next's is.
      expect(await (await fetch(`http://127.0.0.1:${String(line.port)}/`)).text()).toBe('ok');
      signalled = Date.now();
      child.kill('SIGTERM');
    }
  }
  const code = await exited;
  return { code, lines, tookMs: Date.now() - signalled };
}

describe('graceful shutdown', () => {
  it('runs every closer in order and exits 0', async () => {
    const { code, lines } = await stopServer(2000, ['closes', 'closes']);
    expect(code).toBe(0);
    expect(lines.filter((line) => line.event === 'closed').map((line) => line.name)).toEqual(['closes-0', 'closes-1']);
    expect(lines.at(-1)).toMatchObject({ event: 'shutdown.end', drained: true });
  });

  it('leaves a closer that never finishes behind after the timeout: the next ones run and the process exits', async () => {
    const { code, lines, tookMs } = await stopServer(500, ['closes', 'hangs', 'fails', 'closes']);
    expect(code).toBe(0);
    const events = lines.map((line) => ((line.name ?? line.what) ? `${line.event} ${String(line.name ?? line.what)}` : line.event));
    expect(events).toEqual([
      'listening',
      'shutdown.begin',
      'closed closes-0',
      'shutdown.close_timeout hangs-1',
      'shutdown.close_failed fails-2',
      'closed closes-3',
      'shutdown.end',
    ]);
    expect(lines.find((line) => line.event === 'shutdown.close_failed')).toMatchObject({ error: 'refused to close' });
    // The drain ends at once (nothing in flight); the closers have 500 ms between them.
    expect(tookMs).toBeGreaterThanOrEqual(500);
    expect(tookMs).toBeLessThan(5000);
  });
});
