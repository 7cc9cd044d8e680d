// Several instances on PostgreSQL: two production servers on one build sharing one
// PostgreSQL database (SCALE_DATABASE_URL, a fresh schema made by scripts/e2e.mjs) and one sandbox.
// A hosts the sandbox; B is configured as a shop of a real bank would be, with the gateway at A.
// Both run their reconciler, as every instance of a scaled-out shop does, and both stand behind one
// trusted reverse proxy (TRUSTED_PROXIES=1), so the shared-limit tests choose their client addresses.
import { defineConfig, devices } from '@playwright/test';
import { PORT, SCALE_A_URL, SCALE_B_URL, SCALE_MERCHANT_PASSWORD } from './e2e/servers';
import { launchOptions, webServer } from './e2e/web-server';

const database = process.env.SCALE_DATABASE_URL ?? '';
const common = {
  DATABASE_URL: database,
  PAYMENT_FLOW: 'two-stage',
  DATABASE_POOL_MAX: '5',
  RECONCILE_INTERVAL_MS: '3000',
  MERCHANT_PASSWORD: SCALE_MERCHANT_PASSWORD,
  TRUSTED_PROXIES: '1',
};

export default defineConfig({
  testDir: './e2e-scale',
  outputDir: '../test-results/scale-out',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  // No trace by default, as in tests/playwright.config.ts (add --trace retain-on-failure for one).
  use: { trace: 'off', screenshot: 'only-on-failure' },
  projects: [{ name: 'pixel-7', use: { ...devices['Pixel 7'], launchOptions } }],
  webServer: database
    ? [
        // B's shoppers come back to B: its origin is one of the merchant's sites for A's sandbox.
        webServer(PORT + 2, 'scale-a', { ...common, SANDBOX_RETURN_ORIGINS: SCALE_B_URL }),
        webServer(PORT + 3, 'scale-b', { ...common, SANDBOX_ENABLED: 'false', GATEWAY_URL: `${SCALE_A_URL}/sandbox/payment/rest/` }),
      ]
    : [],
});
