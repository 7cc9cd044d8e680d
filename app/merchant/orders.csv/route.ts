// CSV export of the filtered order list (the same filters as /merchant), for the session only.
import { NextResponse, type NextRequest } from 'next/server';
import { getServices } from '@/app/_server/services';
import { allOrders, merchantStateOf, merchantStates } from '@/lib/console/queries';
import { deliveryOf, describeAddress, type Delivery } from '@/lib/payments/order-delivery';
import { normalizePhone } from '@/lib/shop/customer';
import { hasSession } from '../_auth';
import { isoDate, moscowRange } from '../_format';

export const dynamic = 'force-dynamic';

/** Quotes every field; a leading =, +, - or @ is defused so a spreadsheet never runs it as a formula. */
function field(value: string | number): string {
  const text = String(value);
  return `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`;
}

/** Method, price and address; empty for orders placed before delivery existed. */
function deliveryFields(delivery: Delivery | undefined): string[] {
  if (!delivery) return ['', '', ''];
  return [delivery.method, (delivery.price / 100).toFixed(2), delivery.method === 'courier' ? describeAddress(delivery.address) : ''];
}

export async function GET(request: NextRequest) {
  if (!(await hasSession())) return new NextResponse('Sign in first', { status: 401, headers: { 'Cache-Control': 'no-store' } });
  const params = request.nextUrl.searchParams;
  const state = merchantStates.find((s) => s === params.get('state'));
  const range = moscowRange(isoDate(params.get('from')), isoDate(params.get('to')));
  const query = params.get('q')?.slice(0, 64);
  const rows = await allOrders((await getServices()).db, { state, query, phone: query ? normalizePhone(query) : undefined, ...range });
  const lines = [
    [
      'number',
      'created_at',
      'amount_rub',
      'flow',
      'state',
      'gateway_order_id',
      'captured_rub',
      'refunded_rub',
      'payments',
      'delivery',
      'delivery_rub',
      'delivery_address',
    ]
      .map(field)
      .join(','),
    ...rows.map((row) =>
      [
        row.number,
        new Date(row.created_at).toISOString(),
        (row.amount / 100).toFixed(2),
        row.flow,
        merchantStateOf(row.attempt_state),
        row.gateway_order_id ?? '',
        (row.captured / 100).toFixed(2),
        (row.refunded / 100).toFixed(2),
        row.payments,
        ...deliveryFields(deliveryOf(row.delivery_json)),
      ]
        .map(field)
        .join(','),
    ),
  ];
  return new NextResponse(`${lines.join('\r\n')}\r\n`, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="orders.csv"',
      'Cache-Control': 'no-store',
    },
  });
}
