// Which public paths are the shopper's pages, and which prerendered or rendered variant serves
// each. Plain data and a pure function, so the rules are unit-tested.
//
// Every shopper page lives under app/[lang] so that its language is part of what is rendered
// (one prerendered catalogue per language) instead of a cookie read while rendering. The public
// URLs stay /, /products/<slug>, /cart, /checkout, /orders, /orders/<id>(/mail), served from
// /<lang>/… by the `lang` cookie:
// - the prerendered catalogue and products by proxy.ts, which knows the catalogue's slugs and marks
//   the answer private (one URL, two languages);
// - the per-request pages by next.config.js's rewrites (PER_REQUEST_PAGES there, checked against
//   this file by tests/unit/shopper-routes.test.ts). Next applies those after the proxy, and also
//   where the proxy does not run: the bank’s return to the order page (docs/security.md).
// The /ru/… and /en/… paths are internal and answered 404 when asked for directly: a second
// address for every page would let links, caches and search engines disagree with the shopper's
// own choice of language, which is the cookie.
import { LANGS, toLang } from '@/app/_i18n/langs';
import { findProduct } from '@/lib/shop/catalogue';

/**
 * The one product slug that is prerendered as "no such product" in each language. Every slug not
 * in the catalogue is served that page, answered 404: the product route renders nothing on
 * demand, since Next would keep each rendering of an unknown slug on disk.
 */
export const UNKNOWN_PRODUCT = '_unknown';

/** The prerendered "no such order" page (app/[lang]/(prerendered)/no-such-order), under each language. */
export const NO_SUCH_ORDER = 'no-such-order';

const PRODUCT = /^\/products\/([^/]+)$/;
const ORDER_PAGE = /^\/orders\/([^/]+)(?:\/mail)?$/;
const PER_REQUEST = [/^\/cart$/, /^\/checkout$/, /^\/orders$/];

export type ShopperRoute =
  /**
   * A prerendered shopper page, the same bytes for everyone: serve the variant at `rewriteTo`, with
   * `status` 404 when it is a "no such product" or "no such order" page.
   */
  | { kind: 'prerendered'; rewriteTo: string; status?: 404 }
  /**
   * A shopper page rendered per request: next.config.js serves its `rewriteTo` variant. An order's
   * pages name the order, and where they go when the shop has no such order (`missingTo`).
   */
  | { kind: 'per-request'; rewriteTo: string; order?: { id: string; missingTo: string } }
  /** An internal /ru/… or /en/… path asked for directly. */
  | { kind: 'internal' }
  /** No page: neither a shopper's page nor under another root of the app (see OTHER_ROOTS). */
  | { kind: 'unknown' }
  /** Under another root (API, sandbox, merchant console, return route): left as it is. */
  | { kind: 'other' };

/**
 * The app's first path segments besides the shopper's pages (app/<name>; the unit test checks the
 * list against the app directory). Any other first segment is Next's [lang] segment, and there a
 * path with no page is not answered 404: /xyz or /products is the catalogue's route with a language
 * that is not one (answered 500 beside app/global-not-found.tsx), /xyz/cart the cart's (answered
 * 200 with "not found" inside). So a path with no shopper page outside these is `unknown`, and
 * proxy.ts serves the 404 page itself.
 */
export const OTHER_ROOTS: readonly string[] = ['api', 'merchant', 'sandbox', 'icon.svg', '_next', 'favicon.ico'];

/**
 * The routes of app/checkout: "Pay" (the checkout form's post) and the bank's former return address
 * (the page /checkout is a shopper's).
 */
const CHECKOUT_ROUTES = /^\/checkout\/(pay|return)$/;

export function shopperRoute(pathname: string, langCookie: string | undefined): ShopperRoute {
  if (LANGS.some((lang) => pathname === `/${lang}` || pathname.startsWith(`/${lang}/`))) return { kind: 'internal' };
  const prefix = `/${toLang(langCookie)}`;
  if (pathname === '/') return { kind: 'prerendered', rewriteTo: prefix };
  const product = PRODUCT.exec(pathname);
  if (product) {
    if (findProduct(decodeSafely(product[1]!))) return { kind: 'prerendered', rewriteTo: `${prefix}/products/${product[1]!}` };
    return { kind: 'prerendered', rewriteTo: `${prefix}/products/${UNKNOWN_PRODUCT}`, status: 404 };
  }
  const order = ORDER_PAGE.exec(pathname);
  if (order) {
    const id = decodeSafely(order[1]!);
    return { kind: 'per-request', rewriteTo: `${prefix}${pathname}`, order: { id, missingTo: `${prefix}/${NO_SUCH_ORDER}` } };
  }
  if (PER_REQUEST.some((page) => page.test(pathname))) return { kind: 'per-request', rewriteTo: `${prefix}${pathname}` };
  const root = pathname.split('/')[1]!;
  return OTHER_ROOTS.includes(root) || CHECKOUT_ROUTES.test(pathname) ? { kind: 'other' } : { kind: 'unknown' };
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
