// The card form of the sandbox's hosted payment page and the order lifetime (docs/gateway-api.md §6, §9,
// §11; docs/architecture.md §4: 3 attempts, then 6/-2013; expiry 6/-2007, default 1200 s).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriver, DESKTOP_UA, FAIL_URL, MIR_NO_FUNDS, RETURN_URL, VISA_OK, type Driver } from '../helpers/sandbox-driver';

let d: Driver;
beforeEach(async () => {
  d = await createDriver();
});
afterEach(async () => {
  await d.close();
});

describe('card form', () => {
  it('approves the Visa test card: 303 to returnUrl, order deposited by CARD', async () => {
    const { orderId, formUrl } = await d.register({ amount: 4990 });
    const res = await d.submitCard(formUrl, VISA_OK, DESKTOP_UA);
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${RETURN_URL}?orderId=${orderId}&lang=ru`);
    const status = await d.status(orderId);
    expect(status).toMatchObject({ orderStatus: 2, actionCode: 0, actionCodeDescription: '', paymentWay: 'CARD' });
    expect(status.paymentAmountInfo).toMatchObject({ paymentState: 'DEPOSITED', approvedAmount: 4990, depositedAmount: 4990 });
    expect(status.cardAuthInfo).toMatchObject({
      maskedPan: '411111**1111',
      pan: '411111**1111',
      expiration: '203412',
      cardholderName: 'IVAN IVANOV',
      paymentSystem: 'VISA',
    });
    expect(status.cardAuthInfo.approvalCode).toMatch(/^\d{6}$/);
    expect(status.bankInfo).toMatchObject({ bankName: 'TEST CARD', bankCountryCode: 'RU' });
    expect(typeof status.ip).toBe('string');
  });

  it('records the payer IP from X-Forwarded-For', async () => {
    const { orderId, formUrl } = await d.register();
    await d.page(formUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.7, 10.0.0.1' },
      body: new URLSearchParams({ cardnumber: '4111111111111111', expdate: '12/34', cvc: '123' }).toString(),
    });
    expect((await d.status(orderId)).ip).toBe('203.0.113.7');
  });

  it('declines 2200000000000004 with 116 and redirects to failUrl; the order stays open', async () => {
    const { orderId, formUrl } = await d.register({ failUrl: FAIL_URL });
    const res = await d.submitCard(formUrl, MIR_NO_FUNDS);
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${FAIL_URL}?orderId=${orderId}&lang=ru`);
    const status = await d.status(orderId);
    expect(status).toMatchObject({ orderStatus: 0, actionCode: 116 });
    expect(status.cardAuthInfo).toMatchObject({ maskedPan: '220000**0004', paymentSystem: 'MIR' });
    expect(status.cardAuthInfo.approvalCode).toBeUndefined();
    expect(status.paymentAmountInfo).toMatchObject({ paymentState: 'CREATED', approvedAmount: 0, depositedAmount: 0 });
  });

  it('declines a test card with a wrong CVC (or expiry) with actionCode 71015', async () => {
    const a = await d.register();
    await d.submitCard(a.formUrl, { ...VISA_OK, cvc: '999' });
    expect((await d.status(a.orderId)).actionCode).toBe(71015);
    const b = await d.register();
    await d.submitCard(b.formUrl, { ...VISA_OK, expdate: '11/34' });
    expect((await d.status(b.orderId)).actionCode).toBe(71015);
  });

  it('refuses a number failing Luhn with 422 and an error, without counting an attempt', async () => {
    const { orderId, formUrl } = await d.register();
    const bad = await d.submitCard(formUrl, { ...VISA_OK, cardnumber: '4111111111111112' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('role="alert"');
    expect(bad.html).toContain('Проверьте номер карты');
    expect(bad.html).toContain('name="cardnumber"');
    const status = await d.status(orderId);
    expect(status).toMatchObject({ orderStatus: 0, actionCode: -100 });
    expect(status.cardAuthInfo).toBeUndefined();
    // Two declines after it still leave the order open: the invalid form was not an attempt.
    await d.submitCard(formUrl, MIR_NO_FUNDS);
    await d.submitCard(formUrl, MIR_NO_FUNDS);
    expect((await d.status(orderId)).orderStatus).toBe(0);
  });

  it.each([
    ['a malformed expiry', { ...VISA_OK, expdate: '1234' }],
    ['an empty CVC', { ...VISA_OK, cvc: '' }],
    ['a short number', { ...VISA_OK, cardnumber: '4111' }],
  ])('refuses %s with 422', async (_name, card) => {
    const { orderId, formUrl } = await d.register();
    expect((await d.submitCard(formUrl, card)).status).toBe(422);
    expect((await d.status(orderId)).actionCode).toBe(-100);
  });

  it('refuses a valid but unknown card with 422, no attempt', async () => {
    const { orderId, formUrl } = await d.register();
    const res = await d.submitCard(formUrl, { cardnumber: '4242424242424242', expdate: '12/34', cvc: '123' });
    expect(res.status).toBe(422);
    expect((await d.status(orderId)).actionCode).toBe(-100);
  });

  it('after 3 declines the order is 6 / -2013 and the page shows the final state', async () => {
    const { orderId, formUrl } = await d.register({ failUrl: FAIL_URL });
    for (let i = 0; i < 2; i++) await d.submitCard(formUrl, MIR_NO_FUNDS);
    expect((await d.status(orderId)).orderStatus).toBe(0);
    const last = await d.submitCard(formUrl, { ...VISA_OK, cvc: '000' });
    expect(last.location).toBe(`${FAIL_URL}?orderId=${orderId}&lang=ru`);
    const status = await d.status(orderId);
    expect(status).toMatchObject({ orderStatus: 6, actionCode: -2013 });
    expect(status.actionCodeDescription).not.toBe('');
    expect(status.paymentAmountInfo.paymentState).toBe('DECLINED');

    const page = await d.open(formUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-testid="final-state"');
    expect(page.html).toContain('Оплата заказа отклонена');
    expect(page.html).not.toContain('name="cardnumber"');
    // A fourth attempt changes nothing.
    const fourth = await d.submitCard(formUrl, VISA_OK);
    expect(fourth.status).toBe(200);
    expect(fourth.html).toContain('data-testid="final-state"');
    expect((await d.status(orderId)).orderStatus).toBe(6);
  });

  it('escapes the description and orderNumber on the page', async () => {
    const { formUrl } = await d.register({ orderNumber: '<b>7</b>', description: '<script>alert(1)</script>' });
    const { html } = await d.open(formUrl);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<b>7</b>');
  });

  it('a paid order cannot be paid twice', async () => {
    const { orderId, formUrl } = await d.register();
    await d.submitCard(formUrl, VISA_OK);
    const again = await d.submitCard(formUrl, MIR_NO_FUNDS);
    expect(again.status).toBe(200);
    expect(again.html).toContain('Заказ оплачен');
    expect(await d.status(orderId)).toMatchObject({ orderStatus: 2, actionCode: 0 });
  });
});

describe('order lifetime', () => {
  it('expires after sessionTimeoutSecs: 6 / -2007 / DECLINED; the page shows the final state', async () => {
    const { orderId, formUrl } = await d.register({ sessionTimeoutSecs: 60 });
    await d.advanceClock(59);
    expect((await d.status(orderId)).orderStatus).toBe(0);
    await d.advanceClock(2);
    const status = await d.status(orderId);
    expect(status).toMatchObject({
      errorCode: '0',
      orderStatus: 6,
      actionCode: -2007,
      actionCodeDescription: 'Истек срок ожидания ввода данных.',
    });
    expect(status.paymentAmountInfo).toMatchObject({ paymentState: 'DECLINED', approvedAmount: 0, depositedAmount: 0 });

    const page = await d.open(formUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-testid="final-state"');
    expect(page.html).toContain('Время на оплату истекло');
    expect(page.html).not.toContain('name="cardnumber"');
    expect(d.mirPayLinkIn(page.html)).toBeUndefined();
  });

  it('an expired order cannot be paid by card', async () => {
    const { orderId, formUrl } = await d.register({ sessionTimeoutSecs: 60 });
    await d.advanceClock(61);
    const res = await d.submitCard(formUrl, VISA_OK);
    expect(res.status).toBe(200);
    expect(res.html).toContain('data-testid="final-state"');
    expect((await d.status(orderId)).actionCode).toBe(-2007);
  });

  it('expires on the payment page even before any status call', async () => {
    const { orderId, formUrl } = await d.register({ sessionTimeoutSecs: 60 });
    await d.advanceClock(61);
    expect((await d.open(formUrl)).html).toContain('Время на оплату истекло');
    expect((await d.status(orderId)).orderStatus).toBe(6);
  });

  it('the default lifetime is 1200 s', async () => {
    const early = await d.register();
    const late = await d.register();
    await d.advanceClock(1199);
    expect((await d.status(early.orderId)).orderStatus).toBe(0);
    await d.advanceClock(2);
    expect((await d.status(early.orderId)).orderStatus).toBe(6);
    expect((await d.status(late.orderId)).actionCode).toBe(-2007);
  });

  it('an answer in the Mir Pay app after expiry is refused (410) and the order stays expired', async () => {
    const { orderId, formUrl } = await d.register({ sessionTimeoutSecs: 60 });
    const link = d.mirPayLinkIn((await d.open(formUrl)).html)!;
    await d.advanceClock(61);
    expect((await d.postForm(link, { action: 'pay', card: 'mir-0047' })).status).toBe(410);
    expect((await d.status(orderId)).orderStatus).toBe(6);
  });

  // docs/gateway-api.md §2.1 / §6: expirationDate (yyyy-MM-ddTHH:mm:ss) is an absolute expiry that overrides
  // sessionTimeoutSecs. Three days ahead keeps the test time-zone proof.
  it('expirationDate overrides sessionTimeoutSecs', async () => {
    const expirationDate = new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 19);
    const { orderId } = await d.register({ sessionTimeoutSecs: 60, expirationDate });
    await d.advanceClock(61);
    expect((await d.status(orderId)).orderStatus).toBe(0);
  });

  it('a paid order does not expire', async () => {
    const { orderId } = await d.paidOrder({ sessionTimeoutSecs: 60 }, true);
    await d.advanceClock(3600);
    expect((await d.status(orderId)).orderStatus).toBe(1);
  });

  it('the clock control refuses a negative or missing advance with 400', async () => {
    const neg = await d.page('/sandbox/control/clock', {
      method: 'POST',
      body: 'advanceSeconds=-5',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(neg.status).toBe(400);
    const none = await d.page('/sandbox/control/clock', { method: 'POST', body: '' });
    expect(none.status).toBe(400);
  });
});
