// Who may use /sandbox/control/*: the merchant, signed in to the console, or a script sending
// SANDBOX_CONTROL_TOKEN. Everyone else gets 401 from the sandbox (lib/sandbox/handler.ts).
import 'server-only';
import { hasSession } from '@/app/merchant/_auth';
import { bearerTokenMatches } from '@/lib/sandbox/control-access';

export function controlAccess(token: string | undefined) {
  return async (request: Request): Promise<boolean> => bearerTokenMatches(request, token) || (await hasSession());
}
