// The deployable build (docs/deployment.md): .next/standalone copied away from the repository, so
// that no module can come from the repository's node_modules, started with plain `node server.js`
// on PORT + 5 with a database of its own, serves a whole journey and stops cleanly on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { dataFile, PORT } from './servers';
import { checkOut, expectOrderState, payInMirPay, waitUntilReady } from './shop-helpers';
import { E2E_ENV, ROOT } from './web-server';

const STANDALONE_PORT = PORT + 5;
const URL_ = `http://localhost:${STANDALONE_PORT}`;

let server: ChildProcess | undefined;
let dir: string | undefined;

test.afterAll(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the standalone build runs alone, without dev dependencies, and serves a journey', async ({ page }) => {
  test.setTimeout(120_000);
  const built = path.join(ROOT, '.next/standalone');
  expect(existsSync(path.join(built, 'server.js'))).toBe(true);
  for (const devOnly of ['tsx', 'typescript', 'vitest', '@playwright/test', 'pino-pretty'])
    expect(existsSync(path.join(built, 'node_modules', devOnly)), devOnly).toBe(false);
  dir = mkdtempSync(path.join(os.tmpdir(), 'shop-standalone-'));
  cpSync(built, dir, { recursive: true });
  const log = openSync(dataFile(`e2e-standalone-${STANDALONE_PORT}.log`), 'w');
  server = spawn(process.execPath, ['server.js'], {
    cwd: dir,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env.PATH,
      ...E2E_ENV,
      NODE_ENV: 'production',
      PORT: String(STANDALONE_PORT),
      HOSTNAME: '0.0.0.0',
      APP_URL: URL_,
      DATABASE_URL: path.join(dir, 'shop.sqlite'),
    },
  });
  await waitUntilReady(URL_);
  await checkOut(page, URL_, { cart: 'mug:1' });
  await payInMirPay(page, 'mir-2026');
  await expectOrderState(page, 'paid');
  const exit = new Promise<number | null>((resolve) => server!.once('exit', resolve));
  server.kill('SIGTERM');
  expect(await exit).toBe(0);
});
