// Server cost: what one process spends on the catalogue, on "Pay" and on the shopper's return,
// and the same for the bare gateway calls those paths make, in the same run, at the same
// concurrency. Each run is checked against the database afterwards: the gateway calls the shop
// made must be exactly those its path implies, so a short-cut (a reused formUrl, a skipped sync)
// cannot pass for the real path.
//
// The payment paths run twice: at the fixed load (LOAD.connections, budgeted), where the server is
// saturated and latency is mostly queueing behind its CPU, and with one connection, where latency
// is the round trip a single shopper feels.
//
// The return route skips its sync when another sync of the same attempt started < 1 s ago, and a
// paid attempt needs no sync at all. So the first-hit cost is measured on distinct two-stage orders,
// each placed through the checkout form and approved on the sandbox's page beforehand, each
// returned to exactly once (status, deposit, status). The repeated-hit cost (a reload of the same
// return URL once the order is paid: no gateway call) is reported beside it.
import { BUDGETS, LOAD } from './config.mjs';
import type { FloorCost } from './floor-cost.mjs';
import { approvedHold, bareRegister, bareStatusDepositStatus, benchClient } from './gateway-baseline.mjs';
import { openLedger, type Ledger, type LedgerDelta } from './ledger.mjs';
import { clientLoad, httpLoad, type LoadResult } from './load.mjs';
import type { BenchServer } from './server.mjs';
import {
  checkoutBody,
  comeBack,
  isPaymentRedirect,
  newCheckoutKey,
  payByCard,
  placeOrder,
  readCheckoutForm,
  shopperHeaders,
  withRetry,
  type CheckoutForm,
} from './shopper.mjs';

export type CostRow = LoadResult & { ledger: LedgerDelta; verified: string[]; problems: string[] };

export type Ratio = {
  path: string;
  connections: number;
  shopP50: number;
  bareP50: number;
  ratioP50: number;
  ratioMean: number;
  /** CPU per request of the shop's path (server) over that of the bare calls (server's sandbox side + the client's side). */
  ratioCpu: number;
  /** The budget, for the runs at the fixed load; undefined for the one-connection runs. */
  budget: number | undefined;
  /** The framework's floor of the same ratios (scripts/bench/floor-cost.mts), once measured. */
  floorP50?: number;
  floorCpu?: number;
};

export type ServerCost = {
  rows: CostRow[];
  ratios: Ratio[];
  /** Gateway calls (shop and sandbox) during the catalogue run: a static or cached page makes none. */
  catalogueGatewayCalls: number;
  /** The empty App Router app's server action and route handler (scripts/bench/floor-cost.mts). */
  floor?: FloorCost;
  preparation: string[];
};

type Check = (row: LoadResult, delta: LedgerDelta) => { verified: string[]; problems: string[] };

export async function measureServerCost(server: BenchServer, log: (line: string) => void): Promise<ServerCost> {
  const { base } = server;
  const ledger = openLedger(server.databasePath);
  const rows: CostRow[] = [];
  const preparation: string[] = [];
  const seconds = LOAD.durationSeconds;
  const userAgent = shopperHeaders(base)['user-agent']!;

  const measure = async (run: () => Promise<LoadResult>, check: Check) => {
    const mark = ledger.mark();
    const result = await run();
    // Requests still in flight when the run stopped finish on the server after it: wait until the
    // database is quiet, so that the check sees every call they made.
    await quiesce(ledger);
    const delta = ledger.since(mark);
    const { verified, problems } = check(result, delta);
    const row: CostRow = { ...result, ledger: delta, verified, problems, errors: result.errors + problems.length };
    rows.push(row);
    log(
      `  ${row.name} ×${row.connections}: ${row.requests} in ${row.seconds.toFixed(1)} s = ${row.requestsPerSecond.toFixed(1)}/s, p50 ${row.latencyMs.p50.toFixed(1)} ms, p99 ${row.latencyMs.p99.toFixed(1)} ms, server CPU ${row.serverCpuMsPerRequest.toFixed(2)} ms/req, errors ${row.errors}, statuses ${JSON.stringify(row.statuses)}, gateway ${JSON.stringify(delta.shopCalls)} / sandbox ${JSON.stringify(delta.sandboxRequests)}${problems.length ? ` PROBLEMS: ${problems.join('; ')}` : ''}`,
    );
    return row;
  };
  try {
    // 1. Catalogue: a first visit from a phone.
    const catalogue = await measure(
      () =>
        httpLoad({
          name: 'Catalogue GET /',
          server,
          path: '/',
          headers: { 'user-agent': userAgent, accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' },
          connections: LOAD.connections,
          seconds,
          expect: (status) => status === 200,
        }),
      (row, delta) => ({
        verified: [`${total(delta.shopCalls) + total(delta.sandboxRequests)} gateway calls during the run`],
        problems: row.statuses['200'] === row.requests ? [] : ['not every answer was 200'],
      }),
    );

    // 2. The payment paths and their bare gateway calls, at the fixed load, then one connection.
    const form = await readCheckoutForm(base);
    const ratios: Ratio[] = [];
    let saturated: { returnRps: number; bareReturnRps: number } | undefined;
    for (const connections of [LOAD.connections, 1]) {
      const pair = await paymentPaths({ server, ledger, form, connections, seconds, measure, preparation, log, saturated });
      saturated ??= { returnRps: pair.firstHit.requestsPerSecond, bareReturnRps: pair.bareReturn.requestsPerSecond };
      const budgeted = connections === LOAD.connections;
      ratios.push(ratio('Checkout submission', pair.checkout, pair.bareRegister, budgeted ? BUDGETS.checkoutRatio : undefined));
      ratios.push(ratio('Return route (first hit)', pair.firstHit, pair.bareReturn, budgeted ? BUDGETS.returnRatio : undefined));
    }

    // 3. The repeated hit: the same return URL again and again once its order is paid.
    const paid = await placeOrder(base, form, 'two-stage');
    const paidReturn = await payByCard(paid.formUrl);
    await comeBack(base, paidReturn);
    await measure(
      () =>
        httpLoad({
          name: 'Return route, repeated hit of one paid order (no gateway call)',
          server,
          path: new URL(paidReturn).pathname + new URL(paidReturn).search,
          headers: { 'user-agent': userAgent },
          connections: LOAD.connections,
          seconds,
          expect: (status, location) => status === 303 && location === `${base}/orders/${paid.orderId}`,
        }),
      (_row, delta) => ({
        verified: [`${total(delta.shopCalls)} gateway calls by the shop`],
        problems: total(delta.shopCalls) > 0 ? ['the repeated hit called the gateway'] : [],
      }),
    );
    return { rows, ratios, catalogueGatewayCalls: total(catalogue.ledger.shopCalls) + total(catalogue.ledger.sandboxRequests), preparation };
  } finally {
    ledger.close();
  }
}

/** Bare register.do, the checkout submission that makes one, then the bare status + deposit +
 * status and the return route that makes them, all at one concurrency. */
async function paymentPaths(options: {
  server: BenchServer;
  ledger: Ledger;
  form: CheckoutForm;
  connections: number;
  seconds: number;
  measure: (run: () => Promise<LoadResult>, check: Check) => Promise<CostRow>;
  preparation: string[];
  log: (line: string) => void;
  /** The rates of the return paths at the fixed load: what one connection cannot exceed. */
  saturated: { returnRps: number; bareReturnRps: number } | undefined;
}) {
  const { server, ledger, form, connections, seconds, measure, preparation } = options;
  const { base } = server;
  const client = benchClient(base);

  const bareRegisterRow = await measure(
    () => clientLoad({ name: 'Bare register.do (gateway client)', server, concurrency: connections, seconds, task: async () => (await bareRegister(client, base), true) }),
    (row, delta) => ({
      verified: [`sandbox answered ${delta.sandboxRequests['register.do'] ?? 0} register.do, ${delta.sandboxErrors} with an error code`],
      problems: (delta.sandboxRequests['register.do'] ?? 0) < row.requests || delta.sandboxErrors > 0 ? ['register.do count or error codes do not match'] : [],
    }),
  );

  const checkout = await measure(
    () =>
      httpLoad({
        name: 'Checkout submission POST /checkout (no-JS server action → register.do → 303)',
        server,
        path: '/checkout',
        method: 'POST',
        headers: shopperHeaders(base),
        connections,
        seconds,
        // A fresh form key per submission, as a fresh rendering of the form carries: a repeated key
        // would reuse the open attempt's formUrl and skip register.do.
        next: () => {
          const { body, contentType } = checkoutBody(form, newCheckoutKey(), 'one-stage');
          return { body, headers: { 'content-type': contentType } };
        },
        expect: (status, location) => isPaymentRedirect(base, status, location),
      }),
    (row, delta) => {
      const redirects = row.statuses['303'] ?? 0;
      const registers = delta.shopCalls.register ?? 0;
      const problems: string[] = [];
      if (registers < redirects) problems.push(`${redirects} payment redirects but only ${registers} register.do calls`);
      if (delta.shopCallFailures > 0) problems.push(`${delta.shopCallFailures} gateway calls failed`);
      return { verified: [`${registers} register.do by the shop for ${redirects} redirects to the payment page`], problems };
    },
  );

  // The return route's orders, prepared beforehand: distinct two-stage orders placed through the
  // checkout form and approved by card. How many the run will take is not known in advance (and
  // this shared machine's speed varies). At the fixed load: 1.5 times as many as checkouts went
  // through in the same time (a return makes three gateway calls where checkout makes one; seen
  // here: half the checkout rate), and preparing for at least as long as the run lasts. With one connection:
  // what the saturated run served in that time, and a margin. A run that still uses them all ends
  // early and says so, rather than send one twice.
  const retries: string[] = [];
  let started = performance.now();
  const { saturated } = options;
  // (The saturated rate can itself be depressed by other work on the machine: half the rate of
  // this pair's one-call path is taken when higher.)
  const wantedReturns = saturated
    ? Math.max(saturated.returnRps, checkout.requestsPerSecond / 2) * seconds * 1.2 + 50
    : checkout.requestsPerSecond * seconds * 1.5;
  const returns = await prepare(wantedReturns, saturated ? 0 : seconds, () =>
    withRetry(async () => {
      const order = await placeOrder(base, form, 'two-stage');
      const returnUrl = await payByCard(order.formUrl);
      return { orderId: order.orderId, path: new URL(returnUrl).pathname + new URL(returnUrl).search };
    }, retries),
  );
  const preparedOrders = `${returns.length} two-stage orders placed through the checkout form and approved by card in ${((performance.now() - started) / 1000).toFixed(1)} s`;
  started = performance.now();
  const wantedHolds = saturated
    ? Math.max(saturated.bareReturnRps, bareRegisterRow.requestsPerSecond / 2) * seconds * 1.2 + 50
    : bareRegisterRow.requestsPerSecond * seconds * 0.6;
  const holds = await prepare(wantedHolds, saturated ? 0 : seconds * 0.8, () =>
    withRetry(() => approvedHold(client, base), retries),
  );
  const preparedHolds = `${holds.length} approved two-stage holds registered with the gateway client and approved by card in ${((performance.now() - started) / 1000).toFixed(1)} s`;
  preparation.push(`for ${connections} connection(s): ${preparedOrders}; ${preparedHolds}${retries.length ? `; ${retries.length} set-up steps tried again after: ${[...new Set(retries)].join(', ')}` : ''}`);
  options.log(`  prepared ${preparation.at(-1)}`);

  let nextHold = 0;
  const bareReturn = await measure(
    () =>
      clientLoad({
        name: 'Bare getOrderStatusExtended.do + deposit.do + getOrderStatusExtended.do (gateway client)',
        server,
        concurrency: connections,
        seconds,
        task: async () => {
          const orderId = holds[nextHold++];
          if (orderId === undefined) return false; // all used: the run ends early and says so
          await bareStatusDepositStatus(client, orderId);
          return true;
        },
      }),
    (row, delta) => {
      const deposits = delta.sandboxRequests['deposit.do'] ?? 0;
      return {
        verified: [`sandbox answered ${deposits} deposit.do and ${delta.sandboxRequests['getOrderStatusExtended.do'] ?? 0} getOrderStatusExtended.do, ${delta.sandboxErrors} with an error code`],
        problems: deposits < row.requests || delta.sandboxErrors > 0 ? ['deposit.do count or error codes do not match'] : [],
      };
    },
  );

  let nextReturn = 0;
  const hit: string[] = [];
  const firstHit = await measure(
    () =>
      httpLoad({
        name: 'Return route GET /checkout/return, first hit (status → deposit → status → 303)',
        server,
        path: '/',
        headers: { 'user-agent': shopperHeaders(base)['user-agent']! },
        connections,
        seconds,
        maxRequests: returns.length,
        next: () => {
          const order = returns[nextReturn++]!;
          hit.push(order.orderId);
          return { path: order.path };
        },
        expect: (status, location) => status === 303 && location !== undefined && location.startsWith(`${base}/orders/`),
      }),
    (row, delta) => {
      // `hit` is every request sent, the few still in flight when the run stopped included; once
      // the server is quiet each of them is paid (its sync ran) or still awaiting (never served).
      const problems: string[] = [];
      const states = ledger.attemptStates(hit);
      const paidNow = states.paid ?? 0;
      const deposits = delta.shopCalls.deposit ?? 0;
      const reads = delta.shopCalls.getOrderStatusExtended ?? 0;
      const answered = row.statuses['303'] ?? 0;
      if (paidNow < answered) problems.push(`${answered} redirects but only ${paidNow} of the orders returned to are paid: ${JSON.stringify(states)}`);
      if (deposits !== paidNow) problems.push(`${paidNow} orders paid but ${deposits} deposit.do`);
      if (reads !== 2 * deposits) problems.push(`${deposits} deposit.do but ${reads} getOrderStatusExtended.do (expected 2 per return)`);
      if (paidNow + (states.awaiting ?? 0) !== hit.length) problems.push(`orders returned to left in other states: ${JSON.stringify(states)}`);
      if (delta.shopCallFailures > 0) problems.push(`${delta.shopCallFailures} gateway calls failed`);
      return {
        verified: [`${deposits} deposit.do and ${reads} getOrderStatusExtended.do by the shop for ${answered} answered returns; the ${hit.length} orders sent are now ${JSON.stringify(states)}`],
        problems,
      };
    },
  );
  return { bareRegister: bareRegisterRow, checkout, bareReturn, firstHit };
}

function ratio(path: string, shop: CostRow, bare: CostRow, budget: number | undefined): Ratio {
  return {
    path,
    connections: shop.connections,
    shopP50: shop.latencyMs.p50,
    bareP50: bare.latencyMs.p50,
    ratioP50: shop.latencyMs.p50 / bare.latencyMs.p50,
    ratioMean: shop.latencyMs.mean / bare.latencyMs.mean,
    ratioCpu: shop.serverCpuMsPerRequest / (bare.serverCpuMsPerRequest + bare.clientCpuMsPerRequest),
    budget,
  };
}

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** Waits until no gateway call has been recorded for 750 ms (at most 15 s). */
async function quiesce(ledger: Ledger): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = JSON.stringify(ledger.mark());
  let quietSince = Date.now();
  while (Date.now() - quietSince < 750 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = JSON.stringify(ledger.mark());
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }
}

/** Runs `task` 8 at a time until at least `count` are done and at least `minSeconds` have passed
 * (at most 5000 or 60 s); any failure fails the bench (the state would be wrong). */
export async function prepare<T>(count: number, minSeconds: number, task: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  const started = performance.now();
  const enough = () => {
    const elapsed = (performance.now() - started) / 1000;
    return (results.length >= count && elapsed >= minSeconds) || results.length >= 5000 || elapsed >= 60;
  };
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (!enough()) results.push(await task());
    }),
  );
  return results;
}
