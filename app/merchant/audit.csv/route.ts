// CSV export of the audit log, for the owner only; `from` and `to` (YYYY-MM-DD, Moscow days) narrow it.
import { NextResponse, type NextRequest } from 'next/server';
import { getServices } from '@/app/_server/services';
import { auditCsv, auditEntries } from '@/lib/console/audit';
import { allows } from '@/lib/console/roles';
import { currentUser } from '../_auth';
import { isoDate, moscowRange } from '../_format';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const user = await currentUser();
  const headers = { 'Cache-Control': 'no-store' };
  if (!user) return new NextResponse('Sign in first', { status: 401, headers });
  if (!allows(user.role, 'audit')) return new NextResponse('Forbidden', { status: 403, headers });
  const params = request.nextUrl.searchParams;
  const rows = await auditEntries((await getServices()).db, moscowRange(isoDate(params.get('from')), isoDate(params.get('to'))), 100_000);
  return new NextResponse(auditCsv(rows), {
    headers: { ...headers, 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="audit.csv"' },
  });
}
