// The sandbox gateway's HTTP surface: REST *.do methods, the hosted payment page and the Mir Pay
// app. 404 unless the sandbox is on. All logic lives in lib/sandbox.
import { withSecurityHeaders } from '@/app/_server/route-headers';
import { getServices } from '@/app/_server/services';

export const dynamic = 'force-dynamic';

// The REST methods skip proxy.ts (its matcher): their answers get its headers here.
const handle = withSecurityHeaders(async (request: Request) => {
  const { sandbox } = await getServices();
  if (!sandbox) return new Response('Not Found', { status: 404 });
  return sandbox.handle(request);
});

export { handle as GET, handle as POST, handle as DELETE };
