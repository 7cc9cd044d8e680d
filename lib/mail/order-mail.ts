// The shopper's e-mail about their order, in the order's language: what was bought, the delivery,
// the amounts and the order's link, as plain text and as HTML. It is an order confirmation; the
// fiscal receipt is the bank's fiscal service's to send (to the e-mail in orderBundle).
import { formatRub } from '../money';
import { DELIVERY_NAMES, deliveryOf, describeAddress } from '../payments/order-delivery';
import { itemsOf, type Order } from '../payments/orders';

export type MailKind = 'paid' | 'refunded';
export type OrderMail = { to: string; subject: string; text: string; html: string };
/** A refund e-mail's own refund and what stayed paid after it; unknown on those owed before they were kept. */
export type RefundEvent = { amount: number; remaining: number };

const texts = {
  ru: {
    subject: { paid: 'Заказ {number} оплачен', refunded: 'Деньги за заказ {number} возвращены' },
    partSubject: 'Часть денег за заказ {number} возвращена',
    lead: {
      paid: 'Спасибо! Заказ {number} оплачен.',
      refunded: 'Деньги за заказ {number} возвращены на карту: банк зачислит их в течение нескольких дней.',
    },
    partLead: 'Часть денег за заказ {number} возвращена на карту: банк зачислит её в течение нескольких дней.',
    refundedNow: 'Возвращено',
    remaining: 'Остаётся оплачено',
    total: 'Итого',
    free: 'бесплатно',
    address: 'Адрес доставки',
    link: 'Заказ на сайте',
    receipt: 'Это подтверждение заказа. Кассовый чек присылает фискальный сервис банка, если магазин его подключил.',
  },
  en: {
    subject: { paid: 'Order {number} is paid', refunded: 'Order {number}: your money is refunded' },
    partSubject: 'Order {number}: part of your money is refunded',
    lead: {
      paid: 'Thank you! Order {number} is paid.',
      refunded: 'The money for order {number} is refunded to your card: the bank credits it within a few days.',
    },
    partLead: 'Part of the money for order {number} is refunded to your card: the bank credits it within a few days.',
    refundedNow: 'Refunded',
    remaining: 'Still paid',
    total: 'Total',
    free: 'free',
    address: 'Delivery address',
    link: 'The order online',
    receipt: "This is an order confirmation. The fiscal receipt is sent by the bank's fiscal service when the shop has enabled it.",
  },
} as const;

export function orderMail(order: Order, kind: MailKind, appUrl: string, refund?: RefundEvent): OrderMail {
  const lang = order.language === 'en' ? 'en' : 'ru';
  const t = texts[lang];
  const number = order.number;
  const rub = (kopecks: number) => formatRub(kopecks, lang);
  const delivery = deliveryOf(order.delivery_json);
  const rows: [string, string][] = itemsOf(order).map((item) => [`${item.name} × ${item.quantity}`, rub(item.total)]);
  if (delivery) rows.push([DELIVERY_NAMES[delivery.method][lang], delivery.price === 0 ? t.free : rub(delivery.price)]);
  rows.push([t.total, rub(order.amount)]);
  if (kind === 'refunded' && refund) rows.push([t.refundedNow, rub(refund.amount)], [t.remaining, rub(refund.remaining)]);
  const partly = kind === 'refunded' && refund !== undefined && refund.remaining > 0;
  const address = delivery?.method === 'courier' ? `${t.address}: ${describeAddress(delivery.address)}` : undefined;
  const link = `${appUrl}/orders/${encodeURIComponent(order.id)}`;
  const lead = (partly ? t.partLead : t.lead[kind]).replace('{number}', number);

  const text = [
    lead,
    '',
    ...rows.map(([what, amount]) => `${what}: ${amount}`),
    ...(address ? ['', address] : []),
    '',
    `${t.link}: ${link}`,
    '',
    t.receipt,
  ].join('\n');
  const html = `<!doctype html><html lang="${lang}"><body style="font-family:system-ui,sans-serif;color:#1d2433">
<p>${escape(lead)}</p>
<table cellpadding="4">${rows.map(([what, amount]) => `<tr><td>${escape(what)}</td><td align="right">${escape(amount)}</td></tr>`).join('')}</table>
${address ? `<p>${escape(address)}</p>` : ''}
<p><a href="${escape(link)}">${escape(t.link)}</a></p>
<p style="color:#5b6475;font-size:13px">${escape(t.receipt)}</p>
</body></html>`;
  return { to: order.customer_email, subject: (partly ? t.partSubject : t.subject[kind]).replace('{number}', number), text, html };
}

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
