// Where the two e2e servers listen (tests/playwright.config.ts starts them). Kept apart from the
// config so that specs can import it without re-running the config's set-up.
import path from 'node:path';

export const PORT = Number(process.env.E2E_PORT ?? 3100);
export const BASE_URL = `http://localhost:${PORT}`;
/** The second server: its reconciler runs every second. */
export const RECONCILER_URL = `http://localhost:${PORT + 1}`;
/** Two instances on one PostgreSQL (tests/playwright.scale-out.config.ts): A hosts the sandbox. */
export const SCALE_A_URL = `http://localhost:${PORT + 2}`;
export const SCALE_B_URL = `http://localhost:${PORT + 3}`;
export const SCALE_MERCHANT_PASSWORD = 'scale-out-merchant-pw';

// Every file a run's servers write is named with the server's port: scripts/e2e.mjs runs two
// shards at once, on E2E_PORT 3100 and 3200, and a file named alike in both would have one shard's
// server delete or read the other's database and log.
/** The two servers' names: their database and log are .data/<name>.sqlite and .data/<name>.log. */
export const MAIN_SERVER = `e2e-${PORT}`;
export const RECONCILER_SERVER = `e2e-reconciler-${PORT + 1}`;
/** A file under .data/ (absolute). */
export const dataFile = (name: string) => path.resolve(__dirname, '../../.data', name);
