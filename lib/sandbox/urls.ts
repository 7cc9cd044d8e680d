// URLs of the sandbox, shaped like the bank's (docs/gateway-api.md §6).
import type { SandboxOrder } from './store';

export const SANDBOX_PREFIX = '/sandbox';

/** `…/payment/merchants/<merchant>/mobile_payment_<lang>.html?mdOrder=<id>&pageView=MOBILE` */
export function formUrlOf(
  publicUrl: string,
  order: Pick<SandboxOrder, 'id' | 'merchant' | 'page_view' | 'language'>,
  lang = order.language,
): string {
  const mobile = order.page_view === 'MOBILE';
  const page = `${mobile ? 'mobile_payment' : 'payment'}_${lang}.html`;
  const url = new URL(`${SANDBOX_PREFIX}/payment/merchants/${order.merchant}/${page}`, publicUrl);
  url.searchParams.set('mdOrder', order.id);
  if (mobile) url.searchParams.set('pageView', 'MOBILE');
  return url.toString();
}

/** The Mir Pay universal link (NSPK shape `…/inapp/<token>`, docs/gateway-api.md §7). */
export function mirPayLinkOf(publicUrl: string, token: string): string {
  return new URL(`${SANDBOX_PREFIX}/mirpay/inapp/${token}`, publicUrl).toString();
}

/** returnUrl/failUrl with `orderId=<mdOrder>&lang=<lang>` appended (docs/gateway-api.md §6). */
export function resultUrlOf(order: Pick<SandboxOrder, 'id' | 'return_url' | 'fail_url'>, success: boolean, lang: string): string {
  const base = success ? order.return_url : (order.fail_url ?? order.return_url);
  const separator = base.includes('?') ? '&' : '?';
  return `${base}${separator}orderId=${encodeURIComponent(order.id)}&lang=${encodeURIComponent(lang)}`;
}
