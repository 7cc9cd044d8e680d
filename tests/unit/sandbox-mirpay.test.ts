// The Mir Pay flow of the sandbox over HTTP (docs/gateway-api.md §6–§7, docs/architecture.md §4): the button
// on Android only, the simulated app, the return to the payment page and the redirect to the shop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANDROID_UA, createDriver, DESKTOP_UA, FAIL_URL, PUBLIC_URL, RETURN_URL, VISA_OK, type Driver } from '../helpers/sandbox-driver';

let d: Driver;
beforeEach(async () => {
  d = await createDriver();
});
afterEach(async () => {
  await d.close();
});

const MIRPAY_LINK = new RegExp(`^${PUBLIC_URL.replace(/\./g, '\\.')}/sandbox/mirpay/inapp/[A-Za-z0-9_-]{16,64}$`);

describe('payment page: the Mir Pay button', () => {
  it('offers a universal link to the Mir Pay app on an Android phone', async () => {
    const { formUrl } = await d.register();
    const page = await d.open(formUrl, ANDROID_UA);
    expect(page.status).toBe(200);
    expect(d.mirPayLinkIn(page.html)).toMatch(MIRPAY_LINK);
    expect(page.html).toContain('data-testid="mirpay-button"');
    expect(page.html).not.toContain('data-testid="mirpay-unavailable"');
  });

  it('reuses the same link when the page is reloaded before an answer', async () => {
    const { formUrl } = await d.register();
    const first = d.mirPayLinkIn((await d.open(formUrl)).html);
    const second = d.mirPayLinkIn((await d.open(formUrl)).html);
    expect(second).toBe(first);
  });

  it.each([
    ['desktop Chrome', DESKTOP_UA],
    [
      'iPhone Safari',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    ],
  ])('does not offer Mir Pay on %s, and says why', async (_name, ua) => {
    const { formUrl } = await d.register();
    const page = await d.open(formUrl, ua);
    expect(page.status).toBe(200);
    expect(d.mirPayLinkIn(page.html)).toBeUndefined();
    expect(page.html).not.toContain('/sandbox/mirpay/inapp/');
    expect(page.html).toContain('data-testid="mirpay-unavailable"');
  });

  it('shows amount, merchant and a card form on the page', async () => {
    const { formUrl } = await d.register({ amount: 123456, description: 'Кружка' });
    const { html } = await d.open(formUrl);
    expect(html).toContain('Test shop');
    expect(html).toContain('Кружка');
    expect(html).toMatch(/1\s234,56/);
    expect(html).toContain('name="cardnumber"');
  });
});

describe('Mir Pay: paying in the app', () => {
  it('one-stage: app → back to the payment page → returnUrl; the order is deposited by MIR_PAY', async () => {
    const { orderId, formUrl } = await d.register({ amount: 25000 });
    const { app, answer, back } = await d.payWithMirPay(formUrl, 'mir-0047');
    expect(app.status).toBe(200);
    expect(app.html).toContain('data-testid="mir-card-mir-0047"');
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(formUrl);
    expect(back.status).toBe(303);
    expect(back.location).toBe(`${RETURN_URL}?orderId=${orderId}&lang=ru`);

    const status = await d.status(orderId);
    expect(status).toMatchObject({ errorCode: '0', orderStatus: 2, actionCode: 0, paymentWay: 'MIR_PAY' });
    expect(status.paymentAmountInfo).toMatchObject({ paymentState: 'DEPOSITED', approvedAmount: 25000, depositedAmount: 25000 });
    expect(status.cardAuthInfo).toMatchObject({ paymentSystem: 'MIR', maskedPan: '220138**0047' });
    expect(typeof status.authDateTime).toBe('number');
    expect(typeof status.depositedDate).toBe('number');
  });

  it('two-stage: the amount is held (status 1), nothing deposited', async () => {
    const { orderId, formUrl } = await d.register({ amount: 25000 }, true);
    const { back } = await d.payWithMirPay(formUrl, 'mir-2026');
    expect(back.location).toBe(`${RETURN_URL}?orderId=${orderId}&lang=ru`);
    const status = await d.status(orderId);
    expect(status).toMatchObject({ orderStatus: 1, actionCode: 0, paymentWay: 'MIR_PAY' });
    expect(status.paymentAmountInfo).toMatchObject({ paymentState: 'APPROVED', approvedAmount: 25000, depositedAmount: 0 });
    expect(status.cardAuthInfo.paymentSystem).toBe('MIR');
    expect(status.depositedDate).toBeUndefined();
  });

  it('appends "&orderId=…&lang=…" when returnUrl already has a query, in the order language', async () => {
    const returnUrl = 'https://shop.example/return?cart=9';
    const { orderId, formUrl } = await d.register({ returnUrl, language: 'en', pageView: 'MOBILE' });
    expect(formUrl).toContain('/mobile_payment_en.html?');
    const { back } = await d.payWithMirPay(formUrl, 'mir-0047');
    expect(back.location).toBe(`${returnUrl}&orderId=${orderId}&lang=en`);
  });

  it('a declined Mir card goes to failUrl; the order stays open with actionCode 116', async () => {
    const { orderId, formUrl } = await d.register({ failUrl: FAIL_URL });
    const { back } = await d.payWithMirPay(formUrl, 'mir-1119');
    expect(back.status).toBe(303);
    expect(back.location).toBe(`${FAIL_URL}?orderId=${orderId}&lang=ru`);
    const status = await d.status(orderId);
    expect(status).toMatchObject({ orderStatus: 0, actionCode: 116 });
    expect(status.actionCodeDescription).not.toBe('');
    expect(status.paymentAmountInfo).toMatchObject({ paymentState: 'CREATED', approvedAmount: 0, depositedAmount: 0 });
    expect(status.paymentWay).toBeUndefined();
  });

  it('a declined Mir card without failUrl goes to returnUrl', async () => {
    const { orderId, formUrl } = await d.register();
    const { back } = await d.payWithMirPay(formUrl, 'mir-1119');
    expect(back.location).toBe(`${RETURN_URL}?orderId=${orderId}&lang=ru`);
  });

  it('after a decline the shopper can pay again with another Mir card', async () => {
    const { orderId, formUrl } = await d.register({ failUrl: FAIL_URL });
    await d.payWithMirPay(formUrl, 'mir-1119');
    const again = await d.payWithMirPay(formUrl, 'mir-0047');
    expect(again.back.location).toBe(`${RETURN_URL}?orderId=${orderId}&lang=ru`);
    expect((await d.status(orderId)).orderStatus).toBe(2);
  });

  it('three declined Mir Pay attempts end the order: 6 / -2013', async () => {
    const { orderId, formUrl } = await d.register();
    for (let i = 0; i < 3; i++) await d.payWithMirPay(formUrl, 'mir-1119');
    expect(await d.status(orderId)).toMatchObject({ orderStatus: 6, actionCode: -2013 });
    expect((await d.open(formUrl)).html).toContain('data-testid="final-state"');
  });

  // docs/gateway-api.md §7 steps 4–5: the app sends the payment data to the gateway, which authorizes it;
  // the page only asks for the result: an answer given in time counts even if the browser is late.
  it('honours a payment made in the app before expiry when the browser returns after it', async () => {
    const { orderId, formUrl } = await d.register({ sessionTimeoutSecs: 60 });
    const { answer } = await d.answerMirPay(formUrl, 'mir-0047');
    expect(answer.status).toBe(303);
    await d.advanceClock(61);
    const back = await d.open(answer.location!);
    expect(back.location).toBe(`${RETURN_URL}?orderId=${orderId}&lang=ru`);
    expect((await d.status(orderId)).orderStatus).toBe(2);
  });

  // Same cause: the merchant polling getOrderStatusExtended (§7 step 6) before the browser is back
  // already sees the Mir Pay payment.
  it('reports the Mir Pay payment once the app has answered, before the browser returns', async () => {
    const { orderId, formUrl } = await d.register();
    await d.answerMirPay(formUrl, 'mir-0047');
    expect((await d.status(orderId)).orderStatus).toBe(2);
  });

  it('refuses an unknown card id in the app with 422 and keeps the link usable', async () => {
    const { formUrl } = await d.register();
    const link = d.mirPayLinkIn((await d.open(formUrl)).html)!;
    const bad = await d.postForm(link, { action: 'pay', card: 'mir-9999' });
    expect(bad.status).toBe(422);
    expect((await d.open(link)).status).toBe(200);
  });
});

describe('Mir Pay: cancel and reuse', () => {
  it('cancel returns to the payment page, which shows the cancelled notice; the order stays 0/-100', async () => {
    const { orderId, formUrl } = await d.register();
    const { answer } = await d.answerMirPay(formUrl, 'cancel');
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(formUrl);
    const back = await d.open(answer.location!);
    expect(back.status).toBe(200);
    expect(back.html).toContain('Оплата в Mir\u00a0Pay отменена');
    // The page offers Mir Pay again, with a fresh link.
    expect(d.mirPayLinkIn(back.html)).toMatch(MIRPAY_LINK);
    const status = await d.status(orderId);
    expect(status).toMatchObject({ orderStatus: 0, actionCode: -100 });
    expect(status.cardAuthInfo).toBeUndefined();
    // The notice is shown once: a reload is the plain page.
    expect((await d.open(formUrl)).html).not.toContain('Оплата в Mir\u00a0Pay отменена');
  });

  it('the app link cannot be reused after an answer (410)', async () => {
    const { formUrl } = await d.register();
    const { link } = await d.answerMirPay(formUrl, 'cancel');
    expect((await d.open(link)).status).toBe(410);
    expect((await d.postForm(link, { action: 'pay', card: 'mir-0047' })).status).toBe(410);
    const paid = await d.register();
    const steps = await d.payWithMirPay(paid.formUrl, 'mir-0047');
    expect((await d.open(steps.link)).status).toBe(410);
  });

  it('the link is dead once the order is paid by card', async () => {
    const { formUrl, orderId } = await d.register();
    const link = d.mirPayLinkIn((await d.open(formUrl)).html)!;
    expect((await d.submitCard(formUrl, VISA_OK)).status).toBe(303);
    expect((await d.postForm(link, { action: 'pay', card: 'mir-0047' })).status).toBe(410);
    expect((await d.status(orderId)).paymentWay).toBe('CARD');
  });

  it('an unknown token is 404', async () => {
    expect((await d.open('/sandbox/mirpay/inapp/AAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('a paid order page shows the final state, not the form or the Mir Pay button', async () => {
    const { formUrl } = await d.register();
    await d.payWithMirPay(formUrl, 'mir-0047');
    const page = await d.open(formUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-testid="final-state"');
    expect(page.html).not.toContain('name="cardnumber"');
    expect(d.mirPayLinkIn(page.html)).toBeUndefined();
  });
});
