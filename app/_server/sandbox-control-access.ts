// Who may use /sandbox/control/*: the merchant, signed in to the console, or a script sending
// SANDBOX_CONTROL_TOKEN. Everyone else gets 401 from the sandbox (lib/sandbox/handler.ts). The
// session is checked from the request's own cookie against the database the services opened.
import 'server-only';
import type { Db } from '@/lib/db/database';
import { getEnv } from '@/lib/env';
import { bearerTokenMatches } from '@/lib/sandbox/control-access';
import { cookieIn } from '@/lib/web/cookie-string';
import { SESSION_COOKIE, verifySession } from '@/lib/web/merchant-session';

export function controlAccess(token: string | undefined, db: Db) {
  return async (request: Request): Promise<boolean> => bearerTokenMatches(request, token) || (await signedIn(request, db));
}

async function signedIn(request: Request, db: Db): Promise<boolean> {
  const session = cookieIn(request.headers.get('cookie') ?? '', SESSION_COOKIE);
  const password = getEnv().merchantPassword;
  return Boolean(session && password) && verifySession(db, session!, password!, Date.now());
}
