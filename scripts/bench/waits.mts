// What a shopper waits for, measured in a real browser (Chromium as a Pixel 7, through Playwright)
// against the bench's bank, each beside its physical limit measured in the same run:
// - tap "Pay" → the gateway's page has painted (its first contentful paint), beside one bare
//   register.do round trip (the shop's gateway client, from this process) plus one bare load of
//   such a gateway page in the same browser (navigation to first contentful paint);
// - Mir Pay confirms → the order page shows a definite answer (paid, or held for a two-stage
//   order), one-stage and two-stage apart, beside one bare getOrderStatusExtended.do round trip:
//   timed from the browser's request to the shop's returnUrl (the bank's own hops from its app
//   back to the shop are the bank's; they are reported beside, not budgeted);
// - a bank that hangs: how long the return route takes to answer at all.
import { chromium, devices, type Browser, type Page, type Request } from '@playwright/test';
import { returnUrlOf } from '../../lib/payments/register';
import { clearBankFaults, hangBank, type Bank } from './bank.mjs';
import { CART, CUSTOMER } from './config.mjs';
import { benchClient, registerRequest } from './gateway-baseline.mjs';
import { chromiumPath, CHROMIUM_FLAGS } from './chromium.mjs';
import { percentile } from './stats.mjs';
import { placeOrder, readCheckoutForm, withRetry, type Flow } from './shopper.mjs';

export type Sample = { name: string; ms: number[]; p50: number; p95: number };
export type Waits = {
  tapPay: Sample;
  confirmOneStage: Sample;
  confirmTwoStage: Sample;
  /** The same answers timed from the tap on Mir Pay's pay button: the bank's own hops included (reported, not budgeted). */
  confirmFromAppOneStage: Sample;
  confirmFromAppTwoStage: Sample;
  bareRegister: Sample;
  bareGatewayPage: Sample;
  bareStatus: Sample;
  /**
   * A paid order's page (no bank call to make), loaded as the journey's order page is: not
   * budgeted; with the status read, the floor under "Mir Pay confirms → the answer".
   */
  bareOrderPage: Sample;
};

/** The return route against a bank whose status read hangs: ms to the answer, or undefined when none came within `capMs`. */
export type Hang = { answeredMs: number | undefined; status: number | undefined; capMs: number };

const sample = (name: string, ms: number[]): Sample => ({ name, ms, p50: percentile(ms, 50), p95: percentile(ms, 95) });

/** How long the hanging-bank measurement waits for the return route before calling it no answer. */
const HANG_CAP_MS = 10_000;

export async function measureWaits(base: string, bank: Bank, runs: number, log: (line: string) => void): Promise<Waits> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...CHROMIUM_FLAGS],
  });
  try {
    const tapPay: number[] = [];
    const confirm: Record<Flow, number[]> = { 'one-stage': [], 'two-stage': [] };
    const fromApp: Record<Flow, number[]> = { 'one-stage': [], 'two-stage': [] };
    let paidOrderUrl: string | undefined;
    // One fresh phone (context) per journey: no cache or cookie carries over from the last one.
    for (let i = 0; i < runs; i++) {
      for (const flow of ['one-stage', 'two-stage'] as const) {
        const journey = await oneJourney(browser, base, bank, flow);
        tapPay.push(journey.tapPayMs);
        confirm[flow].push(journey.confirmMs);
        fromApp[flow].push(journey.confirmFromAppMs);
        if (journey.state === 'paid') paidOrderUrl ??= journey.orderUrl;
      }
      if ((i + 1) % 5 === 0)
        log(
          `  ${i + 1}/${runs} journeys of each flow: tap Pay p50 ${percentile(tapPay, 50).toFixed(0)} ms; confirm one-stage ${percentile(confirm['one-stage'], 50).toFixed(0)}, two-stage ${percentile(confirm['two-stage'], 50).toFixed(0)} ms`,
        );
    }
    if (paidOrderUrl === undefined) throw new Error('no journey ended with a paid order');
    const bare = await bareLimits(browser, base, bank, runs, paidOrderUrl);
    log(
      `  bare: register.do p50 ${bare.register.p50.toFixed(0)} ms, gateway page load p50 ${bare.page.p50.toFixed(0)} ms, getOrderStatusExtended.do p50 ${bare.status.p50.toFixed(0)} ms; a paid order's page p50 ${bare.orderPage.p50.toFixed(0)} ms`,
    );
    return {
      tapPay: sample('Tap “Pay” → gateway page painted', tapPay),
      confirmOneStage: sample('Mir Pay confirms → order page answers (one-stage)', confirm['one-stage']),
      confirmTwoStage: sample('Mir Pay confirms → order page answers (two-stage)', confirm['two-stage']),
      confirmFromAppOneStage: sample(
        'The same, from the tap on Mir Pay’s button, the bank’s hops included (one-stage)',
        fromApp['one-stage'],
      ),
      confirmFromAppTwoStage: sample(
        'The same, from the tap on Mir Pay’s button, the bank’s hops included (two-stage)',
        fromApp['two-stage'],
      ),
      bareRegister: bare.register,
      bareGatewayPage: bare.page,
      bareStatus: bare.status,
      bareOrderPage: bare.orderPage,
    };
  } finally {
    await browser.close();
  }
}

async function newPhone(browser: Browser, base: string): Promise<Page> {
  const context = await browser.newContext({ ...devices['Pixel 7'] });
  await context.addCookies([{ name: 'cart', value: CART, url: base }]);
  return context.newPage();
}

/** The epoch time of the page's first contentful paint, once it has painted. */
async function paintedAt(page: Page): Promise<number> {
  const handle = await page.waitForFunction(() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return paint ? performance.timeOrigin + paint.startTime : false;
  });
  return (await handle.jsonValue()) as number;
}

/**
 * When the browser sent the first request `matches` picks, epoch ms: the request's own start time
 * (the browser's clock; this machine's, as the pages' paint times are), else when the event came.
 */
function sentAt(page: Page, matches: (request: Request) => boolean): Promise<() => number> {
  return page.waitForRequest(matches, { timeout: 60_000 }).then((request) => {
    const seen = Date.now();
    return () => {
      const start = request.timing().startTime;
      return start > 0 ? start : seen;
    };
  });
}

/**
 * Checkout → "Pay" → the gateway's page → Mir Pay → confirm → the order page's answer. The shop's
 * part of each wait starts when the browser sends the shop its request (the tap's POST; the return
 * to the shop's returnUrl, after the bank's own hops) and ends at the next page's first paint with
 * the answer on it; the whole wait from the tap on Mir Pay's button is reported beside.
 */
async function oneJourney(
  browser: Browser,
  base: string,
  bank: Bank,
  flow: Flow,
): Promise<{ tapPayMs: number; confirmMs: number; confirmFromAppMs: number; state: string | null; orderUrl: string }> {
  const page = await newPhone(browser, base);
  try {
    await page.goto(`${base}/checkout`);
    await page.locator('input[name="name"]').fill(CUSTOMER.name);
    await page.locator('input[name="phone"]').fill(CUSTOMER.phone);
    await page.locator('input[name="email"]').fill(CUSTOMER.email);
    // The flow is chosen in the checkout's "demo settings", folded away as a shopper finds them.
    const choice = page.locator(`input[name="flow"][value="${flow}"]`);
    if (!(await choice.isChecked())) {
      await page.locator('details:has(input[name="flow"]) > summary').click();
      await choice.check();
    }
    const tapped = sentAt(page, (request) => request.method() === 'POST' && request.url().startsWith(base));
    await page.getByTestId('submit').click();
    await page.waitForURL((url) => url.href.startsWith(`${bank.base}/sandbox/payment/merchants/`), { waitUntil: 'commit' });
    const tapPayMs = (await paintedAt(page)) - (await tapped)();

    await page.getByTestId('mirpay-button').click();
    await page.waitForURL(/\/sandbox\/mirpay\/inapp\//);
    const appConfirmed = sentAt(page, (request) => request.method() === 'POST' && /\/sandbox\/mirpay\/inapp\//.test(request.url()));
    // The bank's returnUrl: the order page, with the gateway's orderId appended.
    const returned = sentAt(
      page,
      (request) => request.url().startsWith(`${base}/orders/`) && new URL(request.url()).searchParams.has('orderId'),
    );
    await page.locator('button[name="action"][value="pay"]').click();
    await page.waitForURL((url) => url.href.startsWith(`${base}/orders/`), { timeout: 60_000, waitUntil: 'commit' });
    // A definite answer: the state the shopper can act on, not "being processed". Painted with the
    // page when the return had it; otherwise when the page's poll brings it. Read from the visible
    // status only: the answer streamed after the page's frame sits in a hidden element until
    // React's inline script swaps it in, and a look in between finds both.
    let answeredAt = await paintedAt(page);
    const status = page.locator('[data-testid="order-status"]:visible');
    if ((await status.getAttribute('data-state')) === 'processing') {
      await page.locator('[data-testid="order-status"]:not([data-state="processing"]):visible').waitFor({ timeout: 60_000 });
      answeredAt = Date.now();
    }
    const state = await status.getAttribute('data-state');
    const expected = flow === 'one-stage' ? 'paid' : 'held';
    if (state !== expected && !(flow === 'two-stage' && state === 'paid'))
      throw new Error(`the ${flow} order page answered ${state}, not ${expected}`);
    return {
      tapPayMs,
      confirmMs: answeredAt - (await returned)(),
      confirmFromAppMs: answeredAt - (await appConfirmed)(),
      state,
      orderUrl: `${base}${new URL(page.url()).pathname}`,
    };
  } finally {
    await page.context().close();
  }
}

/** The physical limits, in the same run: the bank's round trips with the shop's client, and the gateway page's load in the same browser. */
async function bareLimits(browser: Browser, base: string, bank: Bank, runs: number, paidOrderUrl: string) {
  const client = benchClient(bank.restUrl);
  const register: number[] = [];
  const status: number[] = [];
  const pageLoad: number[] = [];
  const orderPageLoad: number[] = [];
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    const registered = await client.register(registerRequest(base));
    register.push(performance.now() - started);
    started = performance.now();
    await client.getOrderStatusExtended({ orderId: registered.orderId });
    status.push(performance.now() - started);
    const page = await newPhone(browser, base);
    try {
      await page.goto(registered.formUrl);
      const painted = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime);
      pageLoad.push(painted ?? (await paintedAt(page)) - (await page.evaluate(() => performance.timeOrigin)));
    } finally {
      await page.context().close();
    }
    // As the journey's phone has it: the shop's scripts and styles cached by the checkout page.
    const phone = await newPhone(browser, base);
    try {
      await phone.goto(`${base}/checkout`);
      await phone.goto(paidOrderUrl, { waitUntil: 'commit' });
      orderPageLoad.push((await paintedAt(phone)) - (await phone.evaluate(() => performance.timeOrigin)));
    } finally {
      await phone.context().close();
    }
  }
  return {
    register: sample('Bare register.do round trip', register),
    page: sample('Bare load of the gateway page', pageLoad),
    status: sample('Bare getOrderStatusExtended.do round trip', status),
    orderPage: sample('A paid order’s page, no bank call, after the checkout page (not budgeted)', orderPageLoad),
  };
}

/**
 * A one-stage order whose shopper comes back while the bank's status reads hang. Measured last:
 * the shop may go on waiting for the bank in the background, which would show in any later run.
 */
export async function hangingReturn(base: string, bank: Bank): Promise<Hang> {
  const form = await withRetry(() => readCheckoutForm(base), []);
  const order = await withRetry(() => placeOrder(base, form, 'one-stage', bank.base), []);
  // As the bank sends the shopper back: its orderId appended to the returnUrl.
  const returnUrl = `${returnUrlOf(base, order.orderId)}?orderId=${order.mdOrder}`;
  await hangBank(bank, 'getOrderStatusExtended.do', 0);
  const started = performance.now();
  try {
    const response = await fetch(returnUrl, { redirect: 'manual', signal: AbortSignal.timeout(HANG_CAP_MS) });
    await response.arrayBuffer();
    return { answeredMs: performance.now() - started, status: response.status, capMs: HANG_CAP_MS };
  } catch {
    return { answeredMs: undefined, status: undefined, capMs: HANG_CAP_MS };
  } finally {
    await clearBankFaults(bank);
  }
}
