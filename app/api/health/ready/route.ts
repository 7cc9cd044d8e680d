// Readiness: whether this instance should be sent traffic (lib/payments/readiness.ts): 200 with
// every check passed, else 503 naming the one that failed. Also 503 while the server shuts down.
import { NextResponse } from 'next/server';
import { withSecurityHeaders } from '@/app/_server/route-headers';
import { getServices } from '@/app/_server/services';
import { readiness } from '@/lib/payments/readiness';
import { isDraining } from '@/lib/web/graceful-shutdown';

export const dynamic = 'force-dynamic';

export const GET = withSecurityHeaders(async () => {
  if (isDraining())
    return NextResponse.json({ ok: false, checks: { shutdown: 'in progress' } }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  const report = await getServices().then(
    (services) => readiness(services.shop, services.gatewayAuth),
    (error: unknown) => ({ ok: false, checks: { services: error instanceof Error ? error.message : String(error) } }),
  );
  return NextResponse.json(report, { status: report.ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
});
