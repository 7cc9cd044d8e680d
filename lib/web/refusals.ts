// The answers to requests the shop refuses before any page or action sees them, shared by proxy.ts
// and the routes it skips (the checkout's "Pay"): a small page in both languages with a way back.

type Link = { href: string; text: string };

const CART_LINK: Link = { href: '/cart', text: 'Корзина · Cart' };
const CATALOGUE_LINK: Link = { href: '/', text: 'Каталог · Catalogue' };

/** A path that does not decode, or a query with a NUL (lib/web/request-shape.ts). */
export const badAddress = () => refusal(400, 'Неверный адрес страницы.', 'Malformed page address.', CATALOGUE_LINK);

/** A form post or action from another site, or with no Origin (./same-origin.ts). */
export const foreignPost = () =>
  refusal(403, 'Запрос отклонён: он пришёл не со страницы магазина.', 'Request refused: it did not come from the shop.', CART_LINK);

export const tooLarge = () => refusal(413, 'Запрос слишком велик.', 'Request too large.', CART_LINK);

/** A body none of the shop's forms sends (it does not parse as what it says it is). */
export const malformedBody = () =>
  refusal(400, 'Запрос повреждён: отправьте форму ещё раз.', 'Malformed request: please submit the form again.', CART_LINK);

/** A body refused while read (./bounded-body.ts, ./request-shape.ts): over the limit, or unreadable. */
export const refusedBody = (status: 400 | 413) => (status === 413 ? tooLarge() : malformedBody());

function refusal(status: number, ru: string, en: string, link: Link): Response {
  const html = `<!doctype html><html lang="ru"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${status}</title><body style="font:16px/1.5 system-ui,sans-serif;max-width:480px;margin:0 auto;padding:16px"><h1 style="font-size:20px">${ru}</h1><p lang="en">${en}</p><p><a href="${link.href}">${link.text}</a></p></body></html>`;
  return new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
}
