// The bank's hosted payment page (docs/gateway-api.md §6): the order, the Mir Pay button on
// Android, the card form with the test cards, and the way back to the shop once the outcome is
// known (payment flow steps 3–4 and 8).
import { passesLuhn } from '../../gateway/mask';
import { findTestCard, maskPanForStatus, type Outcome } from '../cards';
import { CARD_PAYMENT_WAY, OrderStatus } from '../decisions';
import { newToken, redirect } from '../http';
import type { Lang } from '../messages';
import { applyAttempt, type CardUsed } from '../payment';
import { htmlResponse } from '../pages/html';
import { renderFinalPage, renderMessagePage, renderPaymentPage } from '../pages/payment-page';
import { textsFor } from '../pages/texts';
import type { SandboxOrder } from '../store';
import { formUrlOf, mirPayLinkOf, resultUrlOf } from '../urls';
import type { SandboxParts } from './parts';

export async function paymentPage(parts: SandboxParts, request: Request, url: URL, lang: Lang): Promise<Response> {
  const { options, store, clientIp } = parts;
  const t = textsFor(lang);
  const now = await store.now();
  const found = await store.findById(url.searchParams.get('mdOrder') ?? '');
  if (!found || found.merchant !== options.merchant) return htmlResponse(renderMessagePage(lang, t.notFound), 404);
  let order = await store.expireIfDue(found, now);
  const ip = clientIp(request);
  let notice: { kind: 'error' | 'info'; text: string } | undefined;

  if (request.method === 'GET') {
    // Seed step 8: back from the Mir Pay app, the page shows the outcome of the exchange the app
    // already completed with the gateway, by redirecting to returnUrl or failUrl.
    const answer = await store.claimMirPayAnswer(order.id, now);
    if (answer?.card && answer.card !== 'cancel') {
      order = (await store.findById(order.id)) ?? order;
      const approved = order.status === OrderStatus.approved || order.status === OrderStatus.deposited;
      return redirect(resultUrlOf(order, approved, lang));
    }
    if (answer && order.status === OrderStatus.created) notice = { kind: 'info', text: t.mirPayCancelled };
  }
  if (order.status === OrderStatus.created && request.method === 'POST') {
    const form = new URLSearchParams(await request.text());
    const result = readCardForm(form);
    if (result.kind === 'invalid') notice = { kind: 'error', text: t.cardFormInvalid };
    else if (result.kind === 'unknown') notice = { kind: 'error', text: t.cardUnknown };
    else return attempt(parts, order, result.outcome, result.card, now, ip, lang);
    order = (await store.findById(order.id)) ?? order;
  }
  if (order.status !== OrderStatus.created) return finalPage(parts, order, lang);

  const android = /Android/i.test(request.headers.get('user-agent') ?? '');
  const mirPayLink = android ? mirPayLinkOf(options.publicUrl, await store.mirPaySessionFor(order.id, now, newToken)) : undefined;
  const page = renderPaymentPage({
    order,
    lang,
    merchantName: options.merchantName,
    now,
    mirPayLink,
    otherLangUrl: formUrlOf(options.publicUrl, order, lang === 'ru' ? 'en' : 'ru'),
    notice,
  });
  return htmlResponse(page, notice?.kind === 'error' ? 422 : 200);
}

async function attempt(
  parts: SandboxParts,
  order: SandboxOrder,
  outcome: Outcome,
  card: CardUsed,
  now: number,
  ip: string,
  lang: Lang,
): Promise<Response> {
  const { store } = parts;
  const result = await applyAttempt(store, order, outcome, card, { now, ip });
  if (result === 'not-payable') return finalPage(parts, (await store.findById(order.id)) ?? order, lang);
  return redirect(resultUrlOf(order, result === 'approved', lang));
}

function finalPage(parts: SandboxParts, order: SandboxOrder, lang: Lang): Response {
  const { options } = parts;
  const success = order.status === OrderStatus.approved || order.status === OrderStatus.deposited;
  const backUrl = resultUrlOf(order, success, lang);
  return htmlResponse(renderFinalPage({ order, lang, merchantName: options.merchantName, backUrl }));
}

type CardForm = { kind: 'invalid' } | { kind: 'unknown' } | { kind: 'known'; outcome: Outcome; card: CardUsed };

function readCardForm(form: URLSearchParams): CardForm {
  const pan = (form.get('cardnumber') ?? '').replace(/[\s-]/g, '');
  const expiry = (form.get('expdate') ?? '').replace(/\s/g, '');
  const cvc = (form.get('cvc') ?? '').trim();
  if (!/^\d{13,19}$/.test(pan) || !passesLuhn(pan) || !/^(0[1-9]|1[0-2])\/\d{2}$/.test(expiry) || !/^\d{3,4}$/.test(cvc)) {
    return { kind: 'invalid' };
  }
  const card = findTestCard(pan);
  if (!card) return { kind: 'unknown' };
  // Wrong expiry or CVC on a test card is a decline, as on the BPC sandbox (docs/gateway-api.md §9).
  const outcome: Outcome = expiry === card.expiry && cvc === card.cvc ? card.outcome : { kind: 'decline', actionCode: 71015 };
  const [mm, yy] = expiry.split('/');
  return {
    kind: 'known',
    outcome,
    card: {
      maskedPan: maskPanForStatus(pan),
      expiration: `20${yy}${mm}`,
      cardholderName: (form.get('cardholder') ?? '').trim().toUpperCase().slice(0, 26),
      paymentSystem: card.paymentSystem,
      paymentWay: CARD_PAYMENT_WAY,
    },
  };
}
