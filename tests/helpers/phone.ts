// A phone's part of the Mir Pay journey over real HTTP (payment flow steps 3–8): open the payment page as
// Android, follow the universal link, pick a card (or cancel) in the app, come back to the page.
// No test runner's API here (a step that goes wrong throws): vitest's tests and Playwright's load it.
import { ANDROID_UA } from './sandbox-driver';

/** Returns where the payment page finally sends the phone (returnUrl or failUrl, with orderId and lang). */
export async function payWithMirPay(formUrl: string, card: string): Promise<URL> {
  const page = await fetch(formUrl, { headers: { 'user-agent': ANDROID_UA } });
  expectStatus('the payment page', page, 200);
  const link = /href="([^"]*\/mirpay\/inapp\/[^"]+)"/.exec(await page.text())?.[1];
  if (!link) throw new Error('the payment page offers no Mir Pay link to an Android phone');
  const app = await fetch(link, { headers: { 'user-agent': ANDROID_UA } });
  expectStatus('the Mir Pay app', app, 200);
  const picked = await fetch(link, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'user-agent': ANDROID_UA, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: 'pay', card }),
  });
  expectStatus('the Mir Pay app, a card picked', picked, 303);
  if (picked.headers.get('location') !== formUrl)
    throw new Error(`the Mir Pay app sent the phone to ${picked.headers.get('location')}, not back to ${formUrl}`);
  const back = await fetch(formUrl, { redirect: 'manual', headers: { 'user-agent': ANDROID_UA } });
  expectStatus('the payment page, back from the app', back, 303);
  return new URL(back.headers.get('location')!);
}

function expectStatus(what: string, response: Response, status: number): void {
  if (response.status !== status) throw new Error(`${what} answered ${response.status}, not ${status}`);
}
