// The sandbox gateway's HTTP surface: REST *.do methods, the hosted payment page and the Mir Pay
// app. 404 unless the sandbox is on. All logic lives in lib/sandbox.
import { withSecurityHeaders } from '@/app/_server/route-headers';
import { getServices } from '@/app/_server/services';
import { readBoundedText, statusOf } from '@/lib/web/bounded-body';

export const dynamic = 'force-dynamic';

// Every body the sandbox takes is small: a REST call's form (its orderBundle included), the card
// form, the Mir Pay app's choice, a control's JSON. The sandbox reads bodies whole (request.text()),
// so the body is read here, with a ceiling that holds while it streams, and handed on buffered.
const MAX_BODY_BYTES = 64 * 1024;

// The REST methods skip proxy.ts (its matcher): their answers get its headers here.
const handle = withSecurityHeaders(async (request: Request) => {
  const { sandbox } = await getServices();
  if (!sandbox) return new Response('Not Found', { status: 404 });
  if (request.method === 'GET' || request.method === 'HEAD') return sandbox.handle(request);
  const body = await readBoundedText(request, MAX_BODY_BYTES);
  if (!body.ok) return new Response(body.reason === 'too-large' ? 'Payload Too Large' : 'Bad Request', { status: statusOf(body) });
  // The same request with the buffered body; its signal too, which the `hang` fault listens to.
  return sandbox.handle(
    new Request(request.url, { method: request.method, headers: request.headers, body: body.text, signal: request.signal }),
  );
});

export { handle as GET, handle as POST, handle as DELETE };
