import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { BASE_URL, PORT } from './e2e/servers';

// Two production servers (`next start`) on one build, each with a fresh database and its log in
// .data/: the main one with the reconciler off (so each test controls who syncs), and a second one
// whose reconciler runs every second, for the shopper who never comes back.
const ROOT = path.resolve(__dirname, '..');
const shared = JSON.parse(readFileSync(path.join(__dirname, 'e2e-env.json'), 'utf8')) as Record<string, string>;
delete shared._comment;

function server(port: number, name: string, env: Record<string, string>) {
  const database = `.data/${name}.sqlite`;
  const log = `.data/${name}.log`;
  const url = `http://localhost:${port}`;
  return {
    // A fresh database per run, removed here rather than in this file's body: Playwright loads the
    // config again in every worker, which must not touch a running server's files. The log goes
    // to a file that tests/e2e/zz-log-hygiene.spec.ts scans once everything has run.
    command: `mkdir -p .data && rm -f ${database} ${database}-wal ${database}-shm ${log} && (npm run -s preflight && exec npx next start -p ${port}) > ${log} 2>&1`,
    url: `${url}/`,
    cwd: ROOT,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { ...shared, PORT: String(port), APP_URL: url, DATABASE_URL: path.join(ROOT, database), ...env },
  };
}

const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

export default defineConfig({
  testDir: './e2e',
  outputDir: '../test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list'], ['html', { outputFolder: '../playwright-report', open: 'never' }]],
  use: { baseURL: BASE_URL, trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    // Mir Pay is offered on Android only: the phone journeys run as a Pixel 7.
    { name: 'pixel-7', use: { ...devices['Pixel 7'], launchOptions }, grepInvert: /@desktop/, testIgnore: /zz-/ },
    // Desktop-only tests, and the merchant console, which runs on both.
    { name: 'desktop', use: { ...devices['Desktop Chrome'], launchOptions }, grep: /@desktop|@console/, testIgnore: /zz-/ },
    // Runs after every other test: scans what they left in the logs.
    { name: 'after-all', testMatch: /zz-.*\.spec\.ts/, dependencies: ['pixel-7', 'desktop'] },
  ],
  webServer: [server(PORT, 'e2e', { RECONCILE_INTERVAL_MS: '0' }), server(PORT + 1, 'e2e-reconciler', { RECONCILE_INTERVAL_MS: '1000' })],
});
