import { rmSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// One fresh database per run; the server is the production build (`next start`).
const PORT = Number(process.env.E2E_PORT ?? 3100);
export const BASE_URL = `http://localhost:${PORT}`;
const ROOT = path.resolve(__dirname, '..');
const DATABASE = path.join(ROOT, '.data/e2e.sqlite');
for (const suffix of ['', '-wal', '-shm']) rmSync(`${DATABASE}${suffix}`, { force: true });

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
    { name: 'pixel-7', use: { ...devices['Pixel 7'], launchOptions }, grepInvert: /@desktop/ },
    { name: 'desktop', use: { ...devices['Desktop Chrome'], launchOptions }, grep: /@desktop/ },
  ],
  webServer: {
    command: `npm run -s preflight && npx next start -p ${PORT}`,
    url: `${BASE_URL}/`,
    cwd: ROOT,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(PORT),
      APP_URL: BASE_URL,
      DATABASE_URL: DATABASE,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});
