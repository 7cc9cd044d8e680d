import { defineConfig, devices } from '@playwright/test';
import { PORT, BASE_URL, MAIN_SERVER, RECONCILER_SERVER } from './e2e/servers';
import { launchOptions, webServer } from './e2e/web-server';

// Two production servers (`next start`) on one build, each with a fresh database and its log in
// .data/: the main one with the reconciler off (so each test controls who syncs), and a second one
// whose reconciler runs every second, for the shopper who never comes back. The second one also
// stands behind one trusted reverse proxy (TRUSTED_PROXIES=1): the abuse-limit tests pick their
// client addresses there with X-Forwarded-For, and exhaust its log-in throttle, which no other
// test uses on it. The main one's sandbox also takes return URLs of the https shop that
// tests/e2e/cookie-flags.spec.ts starts on PORT + 2 with it as its bank.
// scripts/e2e.mjs runs this config as two shards at once (--shard=1/2 on E2E_PORT 3100, --shard=2/2
// on 3200), each with its own two servers: every file a run writes (the servers' databases and
// logs, see tests/e2e/servers.ts; the results and the report here) is named with its port.
export default defineConfig({
  testDir: './e2e',
  outputDir: `../test-results/e2e-${PORT}`,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list'], ['html', { outputFolder: `../playwright-report/e2e-${PORT}`, open: 'never' }]],
  // No trace by default: recording one for every test, even to throw away, took 12 % more of the
  // machine's CPU in the accessibility tests (154 against 135 CPU-seconds), and the e2e step is
  // CPU-bound. For a failure's trace: `npm run test:e2e -- <spec> --trace retain-on-failure`.
  use: { baseURL: BASE_URL, trace: 'off', screenshot: 'only-on-failure' },
  projects: [
    // Mir Pay is offered on Android only: the phone journeys run as a Pixel 7.
    {
      name: 'pixel-7',
      use: { ...devices['Pixel 7'], launchOptions },
      grepInvert: /@desktop/,
      testIgnore: /zz-/,
      teardown: 'after-all',
    },
    // The smallest phones still sold (320 CSS px wide, as an iPhone SE), in Chromium: only the
    // shopper-* specs, where the layout is what is tested.
    {
      name: 'iphone-se',
      use: { ...devices['Pixel 7'], viewport: { width: 320, height: 568 }, screen: { width: 320, height: 568 }, launchOptions },
      testMatch: /shopper-.*\.spec\.ts/,
      teardown: 'after-all',
    },
    // Desktop-only tests, and the merchant console, which runs on both.
    {
      name: 'desktop',
      use: { ...devices['Desktop Chrome'], launchOptions },
      grep: /@desktop|@console/,
      testIgnore: /zz-/,
      teardown: 'after-all',
    },
    // Runs after every other test: scans what they left in the logs. The teardown of the three
    // projects above rather than a project depending on them, for the shards: Playwright splits a
    // project with dependencies like any other, so all but one shard would end without a scan of
    // its servers' logs, while a teardown project is never split (it runs whole in every shard
    // that runs a test of a project naming it, after them), so each shard scans its own servers'
    // logs, which hold just its own journeys. It also runs when a test before it failed.
    { name: 'after-all', testMatch: /zz-.*\.spec\.ts/ },
  ],
  webServer: [
    webServer(PORT, MAIN_SERVER, { RECONCILE_INTERVAL_MS: '0', SANDBOX_RETURN_ORIGINS: `https://localhost:${PORT + 2}` }),
    webServer(PORT + 1, RECONCILER_SERVER, { RECONCILE_INTERVAL_MS: '1000', TRUSTED_PROXIES: '1' }),
  ],
});
