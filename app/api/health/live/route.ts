// Liveness: the process answers HTTP. Nothing else is checked, so that a database outage makes
// instances unready (taken out of the balancer) rather than dead (restarted in a loop).
import { NextResponse } from 'next/server';
import { withSecurityHeaders } from '@/app/_server/route-headers';

export const dynamic = 'force-dynamic';

export const GET = withSecurityHeaders(() => NextResponse.json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } }));
