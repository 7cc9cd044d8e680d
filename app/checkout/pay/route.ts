// "Pay": the checkout form's plain post (with or without JavaScript). A route of its own that
// proxy.ts skips, with the proxy's checks made here: the post must come from the shop's page, and
// its body must be a form of a form's size. The order is placed by ../../[lang]/(per-request)/
// checkout/submit.ts; the answer is a 303 to the bank's payment page, or back to the form with what
// went wrong (form-cookie.ts beside submit.ts). It was a server action behind the proxy at first:
// as a route it costs the shop's process about 40 % less CPU (README "Performance").
import { NextResponse } from 'next/server';
import { keepFormState } from '@/app/[lang]/(per-request)/checkout/form-cookie';
import { submitCheckout } from '@/app/[lang]/(per-request)/checkout/submit';
import { withSecurityHeaders } from '@/app/_server/route-headers';
import { getEnv } from '@/lib/env';
import { readBoundedText, statusOf } from '@/lib/web/bounded-body';
import { foreignPost, malformedBody, refusedBody } from '@/lib/web/refusals';
import { formOfBody, MAX_FORM_BODY_BYTES } from '@/lib/web/request-shape';
import { fromShopPage } from '@/lib/web/same-origin';

export const dynamic = 'force-dynamic';

const shopOrigin = new URL(getEnv().appUrl).origin;

export const POST = withSecurityHeaders(async (request: Request) => {
  if (!fromShopPage(request, shopOrigin)) return foreignPost();
  const body = await readBoundedText(request, MAX_FORM_BODY_BYTES);
  if (!body.ok) return refusedBody(statusOf(body));
  const form = await formOfBody(request.headers.get('content-type') ?? '', body.text);
  if (!form) return malformedBody();
  const outcome = await submitCheckout(form);
  switch (outcome.kind) {
    case 'pay':
      return seeOther(outcome.formUrl);
    case 'order':
      return seeOther(`/orders/${encodeURIComponent(outcome.orderId)}`);
    case 'form':
      await keepFormState(outcome.state);
      return seeOther('/checkout');
    case 'not-a-checkout':
      return malformedBody();
  }
});

/** Where the browser goes next, by GET (a relative location stays on the origin the browser used). */
function seeOther(location: string): Response {
  return new NextResponse(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });
}
