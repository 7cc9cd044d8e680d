// The `secure` flag of the shop's cookies, from APP_URL (lib/web/cookie-security.ts): the cart,
// its count, the open order and the language.
import 'server-only';
import { getEnv } from '@/lib/env';
import { cookieSecurityFor } from '@/lib/web/cookie-security';

export const COOKIE_SECURITY = cookieSecurityFor(getEnv().appUrl);
