// What /api/health/ready reports: the database answers, its schema is the one this version
// migrates to (not behind, not migrated further by a newer version), and the gateway has a base
// URL and credentials. Each check's verdict is named, never a secret or a connection string.
import type { Kysely } from 'kysely';
import { schemaState } from '../db/migrations';
import type { GatewayAuth } from '../gateway/client';
import type { ShopContext } from './context';

export type Readiness = { ok: boolean; checks: Record<string, string> };

export async function readiness(ctx: Pick<ShopContext, 'db' | 'gatewayOrigin'>, auth: GatewayAuth): Promise<Readiness> {
  const checks: Record<string, string> = {};
  try {
    const state = await schemaState(ctx.db as unknown as Kysely<unknown>);
    checks.database = 'ok';
    checks.migrations = state === 'current' ? 'ok' : state === 'ahead' ? 'schema newer than this version' : 'migrations pending';
  } catch {
    checks.database = 'unreachable';
  }
  const credentials = 'token' in auth ? auth.token !== '' : auth.userName !== '' && auth.password !== '';
  checks.gateway = ctx.gatewayOrigin && credentials ? 'ok' : 'not configured';
  return { ok: Object.values(checks).every((verdict) => verdict === 'ok'), checks };
}
