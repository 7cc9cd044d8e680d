// Prometheus metrics (lib/metrics/metrics.ts) for a scraper holding METRICS_TOKEN as a bearer
// token. Without METRICS_TOKEN the endpoint does not exist (404): no figures of the shop's trade
// are public by default.
import { NextResponse } from 'next/server';
import { withSecurityHeaders } from '@/app/_server/route-headers';
import { getServices } from '@/app/_server/services';
import { getEnv } from '@/lib/env';
import { metrics } from '@/lib/metrics/metrics';
import { bearerTokenMatches } from '@/lib/web/bearer-token';

export const dynamic = 'force-dynamic';

export const GET = withSecurityHeaders(async (request: Request) => {
  const token = getEnv().metricsToken;
  if (!token) return new NextResponse('Not found', { status: 404 });
  if (!bearerTokenMatches(request.headers.get('authorization'), token))
    return new NextResponse('Unauthorized', { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
  // The services set up the gauges read from the database (open holds).
  await getServices();
  const { registry } = metrics();
  return new NextResponse(await registry.metrics(), { headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' } });
});
