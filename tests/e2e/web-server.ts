// A production server (`next start`) for Playwright's webServer list, on the one build, with the
// e2e environment (tests/e2e-env.json) and its log in .data/<name>.log.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const shared = JSON.parse(readFileSync(path.join(ROOT, 'tests/e2e-env.json'), 'utf8')) as Record<string, string>;
delete shared._comment;
export const E2E_ENV: Readonly<Record<string, string>> = shared;

/** A server with a fresh SQLite database of its own, unless `env` sets DATABASE_URL. */
export function webServer(port: number, name: string, env: Record<string, string>) {
  const database = `.data/${name}.sqlite`;
  const log = `.data/${name}.log`;
  const url = `http://localhost:${port}`;
  return {
    // A fresh database per run, removed here rather than in the config's body: Playwright loads
    // the config again in every worker, which must not touch a running server's files. The log
    // goes to a file that tests/e2e/zz-log-hygiene.spec.ts scans once everything has run.
    command: `mkdir -p .data && rm -f ${database} ${database}-wal ${database}-shm ${log} && (npm run -s preflight && exec npx next start -p ${port}) > ${log} 2>&1`,
    url: `${url}/`,
    cwd: ROOT,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { ...shared, PORT: String(port), APP_URL: url, DATABASE_URL: path.join(ROOT, database), ...env },
  };
}

export const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
