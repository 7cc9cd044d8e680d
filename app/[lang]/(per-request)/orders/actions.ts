'use server';
// "Find my orders": a plain form post (works without JavaScript). Validates the address, counts
// the request against the limits (here, where the work is done: Next runs an action posted to
// any page) and owes the address an e-mail with links to its orders (lib/shop/find-orders.ts).
// The answer is the same sentence whether or not the address has orders.
import { getLang } from '@/app/_i18n/lang';
import { formOf } from '@/app/_server/action-form';
import { clientAddress } from '@/app/_server/client-address';
import { inRequest } from '@/app/_server/request-id';
import { getServices } from '@/app/_server/services';
import { parseLookupEmail, requestOrdersMail } from '@/lib/shop/find-orders';
import type { FindOrdersState } from './state';

export async function findOrdersAction(_previous: FindOrdersState, formData: FormData): Promise<FindOrdersState> {
  return inRequest(async () => {
    const form = formOf(formData);
    const typed = String(form.get('email') ?? '');
    const parsed = parseLookupEmail(typed);
    if (!parsed.ok) return { email: typed, error: parsed.error };
    const services = await getServices();
    const outcome = await requestOrdersMail(
      { db: services.db, limits: services.limits.findOrders, clock: services.shop.clock },
      { email: parsed.email, client: await clientAddress(), language: await getLang() },
    );
    return outcome === 'accepted' ? { email: '', outcome: 'sent' } : { email: typed, outcome: 'rate-limited' };
  });
}
