// The sandbox gateway's HTTP surface: REST *.do methods, the hosted payment page and the Mir Pay
// app. 404 unless the sandbox is on. All logic lives in lib/sandbox.
import { getServices } from '@/app/_server/services';

export const dynamic = 'force-dynamic';

async function handle(request: Request): Promise<Response> {
  const { sandbox } = await getServices();
  if (!sandbox) return new Response('Not Found', { status: 404 });
  return sandbox.handle(request);
}

export { handle as GET, handle as POST, handle as DELETE };
