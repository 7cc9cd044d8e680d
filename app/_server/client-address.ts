// The address of the client behind the current request (an action or a page), read as
// TRUSTED_PROXIES says: lib/web/client-address.ts.
import 'server-only';
import { headers } from 'next/headers';
import { getEnv } from '@/lib/env';
import { clientAddressOf } from '@/lib/web/client-address';

export async function clientAddress(): Promise<string> {
  return clientAddressOf(await headers(), getEnv().trustedProxies);
}
