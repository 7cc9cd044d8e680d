// A phone's part of the Mir Pay journey over real HTTP (payment flow steps 3–8): open the payment page as
// Android, follow the universal link, pick a card (or cancel) in the app, come back to the page.
import { expect } from 'vitest';
import { ANDROID_UA } from './sandbox-driver';

/** Returns where the payment page finally sends the phone (returnUrl or failUrl, with orderId and lang). */
export async function payWithMirPay(formUrl: string, card: string): Promise<URL> {
  const page = await fetch(formUrl, { headers: { 'user-agent': ANDROID_UA } });
  expect(page.status).toBe(200);
  const link = /href="([^"]*\/mirpay\/inapp\/[^"]+)"/.exec(await page.text())?.[1];
  expect(link).toBeDefined();
  const app = await fetch(link!, { headers: { 'user-agent': ANDROID_UA } });
  expect(app.status).toBe(200);
  const picked = await fetch(link!, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'user-agent': ANDROID_UA, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: 'pay', card }),
  });
  expect(picked.status).toBe(303);
  expect(picked.headers.get('location')).toBe(formUrl);
  const back = await fetch(formUrl, { redirect: 'manual', headers: { 'user-agent': ANDROID_UA } });
  expect(back.status).toBe(303);
  return new URL(back.headers.get('location')!);
}
