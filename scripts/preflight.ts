// Runs before the server starts: checks the configuration and migrates the database, so that a
// wrong value stops start-up with one line naming the variable.
import { loadEnvConfig } from '@next/env';
import { ConfigError, parseEnv } from '../lib/env';
import { describeDatabase, openDatabase } from '../lib/db/database';

async function main(): Promise<void> {
  // The same .env files `next start` reads, so both see one configuration.
  loadEnvConfig(process.cwd());
  const env = parseEnv(process.env);
  const db = await openDatabase(env.databaseUrl, { poolMax: 1 });
  await db.destroy();
  const sandbox = env.sandbox.enabled ? 'on' : 'off';
  console.log(`Configuration OK · shop ${env.appUrl} · gateway ${env.gateway.baseUrl} · sandbox ${sandbox} · database ${describeDatabase(env.databaseUrl)}`);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `Configuration error: ${error.message}` : `Start-up failed: ${String(error instanceof Error ? error.message : error)}`;
  console.error(message);
  process.exit(1);
});
