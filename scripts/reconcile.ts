// `npm run reconcile`: one reconciler pass from the command line (e.g. from cron, with
// RECONCILE_INTERVAL_MS=0 on the servers). With the built-in sandbox the shop must be running,
// as the sandbox gateway lives inside it.
import { loadEnvConfig } from '@next/env';
import { ConfigError, parseEnv } from '../lib/env';
import { reconcileOnce } from '../lib/payments/reconciler';
import { openShop, reconcilerOptionsOf } from '../lib/payments/runtime';

async function main(): Promise<void> {
  loadEnvConfig(process.cwd());
  const env = parseEnv(process.env);
  const shop = await openShop(env);
  try {
    // From the command line every open attempt is read, however recently it was synced.
    const report = await reconcileOnce(shop, { ...reconcilerOptionsOf(env), minIntervalMs: 0 });
    shop.log('reconcile.done', { ...report });
    if (report.errors > 0) process.exitCode = 2;
  } finally {
    await shop.db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError
      ? `Configuration error: ${error.message}`
      : `Reconcile failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
