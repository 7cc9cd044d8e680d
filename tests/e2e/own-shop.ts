// A shop server of a spec's own, beside the two the suite starts: `next start` of the suite's
// build on a port of the spec's range, a fresh SQLite file of its own, the e2e settings and the
// spec's own (a reconciler tick, an alert webhook). Started before the spec's tests, stopped after
// them (before the next project's run starts one on the same port).
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { dataFile } from './servers';
import { waitUntilReady } from './shop-helpers';
import { E2E_ENV, ROOT } from './web-server';

export type OwnShop = { url: string; stop(): Promise<void> };

/** `name` and `port` name its database and log under .data/ (e2e-<name>-<port>.sqlite, .log). */
export async function startOwnShop(name: string, port: number, env: Record<string, string>): Promise<OwnShop> {
  const url = `http://localhost:${port}`;
  // The port in the names keeps the two shards of scripts/e2e.mjs off each other's files.
  const database = dataFile(`e2e-${name}-${port}.sqlite`);
  const log = openSync(dataFile(`e2e-${name}-${port}.log`), 'w');
  const shop: ChildProcess = spawn(
    'sh',
    ['-c', `rm -f ${database} ${database}-wal ${database}-shm && npm run -s preflight && exec node_modules/.bin/next start -p ${port}`],
    {
      cwd: ROOT,
      stdio: ['ignore', log, log],
      env: { ...process.env, ...E2E_ENV, PORT: String(port), APP_URL: url, DATABASE_URL: database, ...env },
    },
  );
  await waitUntilReady(url);
  return {
    url,
    async stop() {
      if (shop.exitCode !== null) return;
      const exited = new Promise((resolve) => shop.once('exit', resolve));
      shop.kill('SIGTERM');
      await exited;
    },
  };
}
