// The database of the shop's running services, for proxy.ts. The proxy is bundled apart from the
// routes: it must not build a second copy of the services (a second reconciler, its own copies of
// every class). app/_server/services.ts keeps the running ones under this global; the server wakes
// them at start (instrumentation.ts), and until then the proxy finds none and lets the page decide.
import 'server-only';
import type { Db } from '@/lib/db/database';

const running = globalThis as typeof globalThis & { __shopServices?: Promise<{ db: Db }> };

export async function runningDb(): Promise<Db | undefined> {
  return (await running.__shopServices)?.db;
}
