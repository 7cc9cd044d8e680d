// The simulated Mir Pay app (docs/gateway-api.md §7, payment flow steps 5–7): the shopper picks a
// card or cancels; the app hands the payment to the gateway at once and sends the browser back to
// the payment page.
import { findMirPayCard } from '../cards';
import { MIR_PAY_PAYMENT_WAY, OrderStatus } from '../decisions';
import { redirect } from '../http';
import type { Lang } from '../messages';
import { applyAttempt, type CardUsed } from '../payment';
import { htmlResponse } from '../pages/html';
import { renderMirPayApp } from '../pages/mirpay-app';
import { renderMessagePage } from '../pages/payment-page';
import { textsFor } from '../pages/texts';
import { formUrlOf } from '../urls';
import type { SandboxParts } from './parts';

export async function mirPayApp(parts: SandboxParts, request: Request, token: string): Promise<Response> {
  const { options, store, clientIp } = parts;
  const now = await store.now();
  const session = await store.findMirPaySession(token);
  const found = session ? await store.findById(session.order_id) : undefined;
  if (!session || !found) return htmlResponse(renderMessagePage('ru', textsFor('ru').linkInvalid), 404);
  const order = await store.expireIfDue(found, now);
  const lang = order.language as Lang;
  const paymentPageUrl = formUrlOf(options.publicUrl, order);
  if (session.answered_at !== null || order.status !== OrderStatus.created) {
    const t = textsFor(lang);
    return htmlResponse(renderMessagePage(lang, t.linkInvalid, { href: paymentPageUrl, label: t.backToPayment }), 410);
  }
  if (request.method === 'POST') {
    const form = new URLSearchParams(await request.text());
    const choice = form.get('action') === 'pay' ? (form.get('card') ?? '') : 'cancel';
    if (choice !== 'cancel' && !findMirPayCard(choice)) {
      return htmlResponse(renderMirPayApp({ order, lang, merchantName: options.merchantName }), 422);
    }
    if (!(await store.answerMirPay(token, choice, now))) {
      const t = textsFor(lang);
      return htmlResponse(renderMessagePage(lang, t.linkInvalid, { href: paymentPageUrl, label: t.backToPayment }), 410);
    }
    const card = findMirPayCard(choice);
    if (card) {
      // The app hands the payment data to the gateway, which authorises at once (docs/gateway-api.md
      // §7 steps 4–5): the outcome does not wait for the browser to come back.
      const used: CardUsed = {
        maskedPan: card.maskedPan,
        expiration: card.expiration,
        cardholderName: '',
        paymentSystem: 'MIR',
        paymentWay: MIR_PAY_PAYMENT_WAY,
      };
      await applyAttempt(store, order, card.outcome, used, { now, ip: clientIp(request) });
    }
    // Seed step 7: the app sends the browser back to the payment page URL.
    return redirect(paymentPageUrl);
  }
  return htmlResponse(renderMirPayApp({ order, lang, merchantName: options.merchantName }));
}
