// The pages a shopper sees, with the state each needs, made over HTTP first: the cart is a cookie;
// the order page is that of an order placed through the checkout form and paid on the sandbox's
// page; the payment page is that of a registered, unpaid order; the Mir Pay app page is opened
// from another unpaid order's payment page, as an Android browser gets it.
import { CART } from './config.mjs';
import { comeBack, mirPayLink, payByCard, placeOrder, readCheckoutForm, withRetry } from './shopper.mjs';

export type BenchPage = {
  name: string;
  path: string;
  url: string;
  /** The route in Next's route-bundle-stats.json (the shop's pages live under app/[lang], which
   * proxy.ts serves at the public path); absent for the sandbox's route-handler pages. */
  route?: string;
  /** Request headers the page needs (the cart cookie). */
  headers: Record<string, string>;
  /** A page of the shop (the JS budget applies), not the gateway's. */
  shopper: boolean;
  state: string;
};

/** `gateway`: the bank's origin (the payment page and the Mir Pay app are served there). */
export async function preparePages(base: string, gateway: string, retries: string[]): Promise<BenchPage[]> {
  const cart = { cookie: `cart=${CART}` };
  const form = await withRetry(() => readCheckoutForm(base), retries);

  const orderPage = await withRetry(async () => {
    const paid = await placeOrder(base, form, 'one-stage', gateway);
    return comeBack(base, await payByCard(paid.formUrl));
  }, retries);
  const unpaid = await withRetry(() => placeOrder(base, form, 'one-stage', gateway), retries);
  const mirPay = await withRetry(async () => mirPayLink((await placeOrder(base, form, 'one-stage', gateway)).formUrl), retries);

  const page = (name: string, url: string, extra: Omit<BenchPage, 'name' | 'url' | 'path'>): BenchPage => ({
    name,
    url,
    path: new URL(url).pathname + new URL(url).search,
    ...extra,
  });
  return [
    page('Catalogue', `${base}/`, { route: '/[lang]', headers: {}, shopper: true, state: 'first visit, no cookies' }),
    page('Product', `${base}/products/mug`, {
      route: '/[lang]/products/[slug]',
      headers: {},
      shopper: true,
      state: 'first visit, no cookies',
    }),
    page('Cart', `${base}/cart`, { route: '/[lang]/cart', headers: cart, shopper: true, state: `cookie cart=${CART}` }),
    page('Checkout', `${base}/checkout`, { route: '/[lang]/checkout', headers: cart, shopper: true, state: `cookie cart=${CART}` }),
    page('Order (paid)', orderPage, {
      route: '/[lang]/orders/[id]',
      headers: {},
      shopper: true,
      state: 'one-stage order paid by card, back through the return route',
    }),
    page('Sandbox payment page', unpaid.formUrl, { headers: {}, shopper: false, state: 'registered one-stage order, unpaid' }),
    page('Mir Pay app', mirPay, { headers: {}, shopper: false, state: 'session opened from an unpaid order’s payment page (Android)' }),
  ];
}
