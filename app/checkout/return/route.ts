// Where the bank sent the shopper back before returnUrl became the order page itself
// (app/_server/order-page-sync.ts): attempts registered then still come back here. One status read
// (payment flow step 9), then 303 to the order page; a two-stage hold's deposit (steps 10–11)
// follows after the answer.
// Works without cookies; the cart is cleared only once the money is secured, and only in the
// browser that placed the order (app/_server/spent-cart.ts).
import { after, NextResponse } from 'next/server';
import { withSecurityHeaders } from '@/app/_server/route-headers';
import { getServices } from '@/app/_server/services';
import { forgetSpentCartIn } from '@/app/_server/spent-cart';
import { handleReturn } from '@/lib/payments/shopper-sync';

export const dynamic = 'force-dynamic';

export const GET = withSecurityHeaders(async (request: Request) => {
  const services = await getServices();
  const outcome = await handleReturn(services.shop, new URL(request.url).searchParams);
  if (outcome.kind === 'not-found') return plain(404, 'Order not found / Заказ не найден');
  if (outcome.kind === 'bad-request') return plain(400, 'This payment does not belong to this order / Платёж не относится к этому заказу');
  const response = NextResponse.redirect(new URL(`/orders/${outcome.orderId}`, services.shop.appUrl), 303);
  response.headers.set('Cache-Control', 'no-store');
  // The cart is emptied in the browser that placed the order (its `checkout` cookie), once the
  // money is secured; a browser Mir Pay returned into instead keeps its own cart.
  await forgetSpentCartIn(response, services.db, outcome.orderId);
  // A two-stage hold's deposit goes out after this answer: the shopper waits for one status read.
  if (outcome.afterResponse) after(outcome.afterResponse);
  return response;
});

function plain(status: number, text: string) {
  return new NextResponse(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}
