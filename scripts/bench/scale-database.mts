// The PostgreSQL of the growth figures. By default the tests' database, which
// scripts/postgres-test-db.sh makes and starts (as `.ci/run` does before the tests). On a fresh
// machine PostgreSQL is installed but not running, and the growth figures would then be "not
// measured", a failed run, for that alone: the bench starts it the same way first. A database
// named in BENCH_DATABASE_URL is the caller's to provide, and is never touched.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ROOT } from './config.mjs';

/** The tests' database (scripts/postgres-test-db.sh makes it); the tests' own schemas are named apart (test_…, e2e_scale_…). */
export const DEFAULT_DATABASE_URL = 'postgres://mirpay:mirpay@127.0.0.1:5432/mirpay_test';
export const DEFAULT_DATABASE_SCRIPT = path.join(ROOT, 'scripts/postgres-test-db.sh');

/**
 * The database the growth figures use: `configured` (BENCH_DATABASE_URL) as it is; else the
 * default one, started by `script` when it does not answer. A script that fails is logged; the
 * measurement then reports the database as unreachable, which fails the run.
 */
export async function scaleDatabase(
  configured: string | undefined,
  log: (line: string) => void,
  defaults = { url: DEFAULT_DATABASE_URL, script: DEFAULT_DATABASE_SCRIPT },
): Promise<string> {
  if (configured) return configured;
  if (await answers(defaults.url)) return defaults.url;
  log(`  ${redacted(defaults.url)} does not answer: starting it (${path.relative(ROOT, defaults.script)})`);
  try {
    const { stdout } = await promisify(execFile)(defaults.script, [], { encoding: 'utf8', timeout: 120_000 });
    log(`  ${stdout.trim().split('\n').at(-1) ?? ''}`);
  } catch (error) {
    const failed = error as { stderr?: string; message: string };
    log(`  could not start it: ${(failed.stderr || failed.message).trim()}`);
  }
  return defaults.url;
}

/** Whether a PostgreSQL server accepts this URL's connection within 3 s. */
export async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
