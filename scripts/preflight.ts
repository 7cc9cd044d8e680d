// Runs before the server starts: checks the configuration and migrates the database, so that a
// wrong value stops start-up with one line naming the variable. With a gateway set by GATEWAY_URL
// or GATEWAY_BANK it also makes one harmless authenticated call and says in one line whether the
// login works (lib/gateway/login-check.ts): a refused login stops start-up, an unreachable
// gateway only warns (the bank may be down for a moment; the server copes with that).
import { loadEnvConfig } from '@next/env';
import { ConfigError, parseEnv, STORED } from '../lib/env';
import { describeDatabase, openDatabase } from '../lib/db/database';
import { createGatewayClient } from '../lib/gateway/client';
import { checkLogin } from '../lib/gateway/login-check';

/** The login check waits at most this long: start-up must not hang on a silent gateway. */
const LOGIN_CHECK_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  // The same .env files `next start` reads, so both see one configuration.
  loadEnvConfig(process.cwd());
  const env = parseEnv(process.env);
  const db = await openDatabase(env.databaseUrl, { poolMax: 1 });
  await db.destroy();
  const sandbox = env.sandbox.enabled ? 'on' : 'off';
  console.log(
    `Configuration OK · shop ${env.appUrl} · gateway ${env.gateway.baseUrl} · sandbox ${sandbox} · database ${describeDatabase(env.databaseUrl)}`,
  );
  // The embedded sandbox is not running yet, and generated credentials live in the database.
  if (!env.gateway.configured || env.gateway.auth === STORED) return;
  const client = createGatewayClient({
    baseUrl: env.gateway.baseUrl,
    auth: env.gateway.auth as Exclude<typeof env.gateway.auth, typeof STORED>,
    timeoutMs: Math.min(env.gateway.timeoutMs, LOGIN_CHECK_TIMEOUT_MS),
    statusRetries: 0,
  });
  const check = await checkLogin(client, env.gateway.baseUrl);
  if (check.verdict === 'refused') {
    console.error(check.line);
    process.exit(1);
  }
  (check.verdict === 'accepted' ? console.log : console.warn)(check.line);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? `Configuration error: ${error.message}`
      : `Start-up failed: ${String(error instanceof Error ? error.message : error)}`;
  console.error(message);
  process.exit(1);
});
