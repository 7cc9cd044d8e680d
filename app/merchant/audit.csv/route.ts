// CSV export of the audit log, for the owner only; `from` and `to` (YYYY-MM-DD, Moscow days) narrow it.
import { NextResponse, type NextRequest } from 'next/server';
import { getServices } from '@/app/_server/services';
import { auditCsv, auditEntries } from '@/lib/console/audit';
import { allows } from '@/lib/console/roles';
import { currentUser } from '../_auth';

export const dynamic = 'force-dynamic';

/** Midnight in Moscow (UTC+3, no daylight saving) of a YYYY-MM-DD, else undefined. */
function moscowDay(value: string | null, plusDays = 0): number | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const at = Date.parse(`${value}T00:00:00+03:00`);
  return Number.isNaN(at) ? undefined : at + plusDays * 86_400_000;
}

export async function GET(request: NextRequest) {
  const user = await currentUser();
  const headers = { 'Cache-Control': 'no-store' };
  if (!user) return new NextResponse('Sign in first', { status: 401, headers });
  if (!allows(user.role, 'audit')) return new NextResponse('Forbidden', { status: 403, headers });
  const params = request.nextUrl.searchParams;
  const rows = await auditEntries(
    (await getServices()).db,
    { from: moscowDay(params.get('from')), to: moscowDay(params.get('to'), 1) },
    100_000,
  );
  return new NextResponse(auditCsv(rows), {
    headers: { ...headers, 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="audit.csv"' },
  });
}
