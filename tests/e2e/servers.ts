// Where the two e2e servers listen (tests/playwright.config.ts starts them). Kept apart from the
// config so that specs can import it without re-running the config's set-up.
export const PORT = Number(process.env.E2E_PORT ?? 3100);
export const BASE_URL = `http://localhost:${PORT}`;
/** The second server: its reconciler runs every second. */
export const RECONCILER_URL = `http://localhost:${PORT + 1}`;
/** Two instances on one PostgreSQL (tests/playwright.scale-out.config.ts): A hosts the sandbox. */
export const SCALE_A_URL = `http://localhost:${PORT + 2}`;
export const SCALE_B_URL = `http://localhost:${PORT + 3}`;
export const SCALE_MERCHANT_PASSWORD = 'scale-out-merchant-pw';
