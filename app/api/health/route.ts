// For load balancers and for instrumentation.ts's warm-up: answers once the services (database,
// gateway client, background work) are up.
import { NextResponse } from 'next/server';
import { withSecurityHeaders } from '@/app/_server/route-headers';
import { getServices } from '@/app/_server/services';

export const dynamic = 'force-dynamic';

export const GET = withSecurityHeaders(async () => {
  const { db } = await getServices();
  await db.selectFrom('orders').select('id').limit(1).execute();
  return NextResponse.json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } });
});
