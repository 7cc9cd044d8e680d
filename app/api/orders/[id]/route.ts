// The order page's polling endpoint: syncs the open attempt with the gateway at a bounded rate,
// then answers with the shopper's view of the order (no contact details).
import { NextResponse } from 'next/server';
import { withSecurityHeaders } from '@/app/_server/route-headers';
import { getServices } from '@/app/_server/services';
import { forgetSpentCartIn } from '@/app/_server/spent-cart';
import { orderView } from '@/lib/shop/order-view';
import { POLL_SYNC_INTERVAL_MS, syncIfStale } from '@/lib/payments/shopper-sync';

export const dynamic = 'force-dynamic';

export const GET = withSecurityHeaders(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const services = await getServices();
  await syncIfStale(services.shop, id, POLL_SYNC_INTERVAL_MS);
  const view = await orderView(services.db, id);
  const headers = { 'Cache-Control': 'no-store' };
  if (!view) return NextResponse.json({ error: 'not-found' }, { status: 404, headers });
  const response = NextResponse.json(view, { headers });
  // Paid while the shopper watched: the cart is emptied in this answer (app/_server/spent-cart.ts).
  await forgetSpentCartIn(response, services.db, id);
  return response;
});
