// The "find my orders" e-mail: links to the recent orders placed with this address, in the
// language of the page it was asked from, as plain text and as HTML. Only the address's owner
// reads it: the page that asked shows nothing about the address (lib/shop/find-orders.ts).
import { formatRub } from '../money';
import { formatOrderDate } from '../shop/order-date';
import type { AddressOrder } from '../shop/orders-of-address';
import type { OrderMail } from './order-mail';

const texts = {
  ru: {
    subject: 'Ваши заказы',
    lead: 'Вы попросили прислать ссылки на заказы, оформленные с этим адресом. Вот последние:',
    order: 'Заказ {number} от {date}',
    ignore: 'Если вы ничего не запрашивали, просто не обращайте внимания на это письмо.',
  },
  en: {
    subject: 'Your orders',
    lead: 'You asked for links to the orders placed with this address. Here are the latest:',
    order: 'Order {number} of {date}',
    ignore: 'If you did not ask for this, just ignore this e-mail.',
  },
} as const;

export function ordersListMail(orders: readonly AddressOrder[], language: string | null, appUrl: string, to: string): OrderMail {
  const lang = language === 'en' ? 'en' : 'ru';
  const t = texts[lang];
  const lines = orders.map((order) => ({
    title: t.order.replace('{number}', order.number).replace('{date}', formatOrderDate(order.created_at, lang)),
    amount: formatRub(order.amount, lang),
    link: `${appUrl}/orders/${encodeURIComponent(order.id)}`,
  }));
  const text = [t.lead, '', ...lines.flatMap((line) => [`${line.title}: ${line.amount}`, line.link, '']), t.ignore].join('\n');
  const html = `<!doctype html><html lang="${lang}"><body style="font-family:system-ui,sans-serif;color:#1d2433">
<p>${escape(t.lead)}</p>
<ul>${lines.map((line) => `<li><a href="${escape(line.link)}">${escape(line.title)}</a>: ${escape(line.amount)}</li>`).join('')}</ul>
<p style="color:#5b6475;font-size:13px">${escape(t.ignore)}</p>
</body></html>`;
  return { to, subject: t.subject, text, html };
}

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
