// Server cost: the CPU the shop's process spends on the catalogue, on "Pay" and on the shopper's
// return, at a fixed load, against the bank in a process of its own (scripts/bench/bank.mts), so
// the shop's CPU is its own. Budgeted against the empty App Router app making the same gateway
// calls in the same process model, measured in the same run (floor-cost.mts). The bare gateway
// calls of each path, made with the shop's client from this process, are measured beside them:
// the latency a path adds over its round trips. Each run is checked against the databases
// afterwards: the gateway calls the shop made must be those its path implies, so a short-cut (a
// reused formUrl, a skipped sync) cannot pass for the real path.
//
// The return route skips its sync when another sync of the same attempt started < 1 s ago, and a
// paid attempt needs no sync at all. So the first-hit cost is measured on distinct two-stage orders,
// each placed through the checkout form and approved on the bank's page beforehand, each returned
// to exactly once.
import type { Bank } from './bank.mjs';
import { LOAD } from './config.mjs';
import { approvedHold, bareRegister, bareStatusDepositStatus, benchClient } from './gateway-baseline.mjs';
import { openLedger, type Ledger, type LedgerDelta } from './ledger.mjs';
import { clientLoad, httpLoad, type LoadResult } from './load.mjs';
import type { BenchServer } from './server.mjs';
import {
  checkoutBody,
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

/** A payment path at the fixed load: the shop's latency and CPU beside its bare gateway calls'. */
export type PathCost = {
  path: 'checkout' | 'return';
  connections: number;
  shopP50: number;
  bareP50: number;
  /** CPU of the shop's process per request, ms. */
  shopCpuMs: number;
  /** Gateway calls the shop made per answered request, by operation (the floor makes the same). */
  callsPerRequest: Record<string, number>;
};

export type ServerCost = {
  rows: CostRow[];
  paths: PathCost[];
  /** Gateway calls (shop and bank) during the catalogue run: a static or cached page makes none. */
  catalogueGatewayCalls: number;
  /** CPU per request of the order page with no bank call to make (rendering alone; not budgeted). */
  pageOnlyCpuMs: number;
  preparation: string[];
};

type Check = (row: LoadResult, delta: LedgerDelta) => { verified: string[]; problems: string[] };

export async function measureServerCost(server: BenchServer, bank: Bank, log: (line: string) => void): Promise<ServerCost> {
  const { base } = server;
  const ledger = openLedger(server.databasePath, bank.databasePath);
  const rows: CostRow[] = [];
  const preparation: string[] = [];
  const seconds = LOAD.durationSeconds;
  const userAgent = shopperHeaders(base)['user-agent']!;

  // `run` calls `onMeasured` when its measured part starts (after the warm-up): the check sees what
  // the measured requests did, the gateway calls a request makes are counted from them alone.
  const measure = async (run: (onMeasured: () => void) => Promise<LoadResult>, check: Check) => {
    let mark = ledger.mark();
    const result = await run(() => (mark = ledger.mark()));
    // Requests still in flight when the run stopped finish on the server after it: wait until the
    // databases are quiet, so that the check sees every call they made.
    await quiesce(ledger);
    const delta = ledger.since(mark);
    const { verified, problems } = check(result, delta);
    const row: CostRow = { ...result, ledger: delta, verified, problems, errors: result.errors + problems.length };
    rows.push(row);
    log(
      `  ${row.name} ×${row.connections}: ${row.requests} in ${row.seconds.toFixed(1)} s = ${row.requestsPerSecond.toFixed(1)}/s, p50 ${row.latencyMs.p50.toFixed(1)} ms, p99 ${row.latencyMs.p99.toFixed(1)} ms, shop CPU ${row.serverCpuMsPerRequest.toFixed(2)} ms/req, errors ${row.errors}, statuses ${JSON.stringify(row.statuses)}, gateway ${JSON.stringify(delta.shopCalls)} / bank ${JSON.stringify(delta.sandboxRequests)}${problems.length ? ` PROBLEMS: ${problems.join('; ')}` : ''}`,
    );
    return row;
  };
  try {
    // 1. Catalogue: a first visit from a phone.
    const catalogue = await measure(
      (onMeasured) =>
        httpLoad({
          onMeasured,
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

    // 2. The payment paths and their bare gateway calls, at the fixed load.
    const form = await readCheckoutForm(base);
    const pair = await paymentPaths({ server, bank, ledger, form, connections: LOAD.connections, seconds, measure, preparation, log });
    const paths: PathCost[] = [pathCost('checkout', pair.checkout, pair.bareRegister), pathCost('return', pair.firstHit, pair.bareReturn)];
    return {
      rows,
      paths,
      catalogueGatewayCalls: total(catalogue.ledger.shopCalls) + total(catalogue.ledger.sandboxRequests),
      pageOnlyCpuMs: pair.pageOnly.serverCpuMsPerRequest,
      preparation,
    };
  } finally {
    ledger.close();
  }
}

/** Bare register.do, the checkout submission that makes one, then the bare status + deposit +
 * status and the return route, all at one concurrency. */
async function paymentPaths(options: {
  server: BenchServer;
  bank: Bank;
  ledger: Ledger;
  form: CheckoutForm;
  connections: number;
  seconds: number;
  measure: (run: (onMeasured: () => void) => Promise<LoadResult>, check: Check) => Promise<CostRow>;
  preparation: string[];
  log: (line: string) => void;
}) {
  const { server, bank, ledger, form, connections, seconds, measure, preparation } = options;
  const { base } = server;
  const client = benchClient(bank.restUrl);

  const bareRegisterRow = await measure(
    () =>
      clientLoad({
        name: 'Bare register.do (gateway client)',
        server,
        concurrency: connections,
        seconds,
        task: async () => (await bareRegister(client, base), true),
      }),
    (row, delta) => ({
      verified: [`bank answered ${delta.sandboxRequests['register.do'] ?? 0} register.do, ${delta.sandboxErrors} with an error code`],
      problems:
        (delta.sandboxRequests['register.do'] ?? 0) < row.requests || delta.sandboxErrors > 0
          ? ['register.do count or error codes do not match']
          : [],
    }),
  );

  const checkout = await measure(
    (onMeasured) =>
      httpLoad({
        ...checkoutLoad(server, bank, form, shopperHeaders(base)),
        name: 'Checkout submission POST /checkout/pay (the form without JavaScript → register.do → 303)',
        onMeasured,
        seconds,
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
  // checkout form and approved by card, as many as its warm-up and the run can use (the shopper's
  // wait on a return is one status read, a little longer than checkout's register.do), and a
  // margin. A run that still uses them all ends early and says so, rather than send one twice.
  const retries: string[] = [];
  let started = performance.now();
  const wanted = checkout.requestsPerSecond * 0.9 * (LOAD.warmUpSeconds + seconds) + 30;
  const returns = await preparedReturns(base, form, bank, wanted, retries);
  const preparedOrders = `${returns.length} two-stage orders placed through the checkout form and approved by card in ${((performance.now() - started) / 1000).toFixed(1)} s`;
  started = performance.now();
  const holds = await prepare((bareRegisterRow.requestsPerSecond / 2) * seconds * 1.2 + 30, 0, () =>
    withRetry(() => approvedHold(client, base), retries),
  );
  const preparedHolds = `${holds.length} approved two-stage holds registered with the gateway client and approved by card in ${((performance.now() - started) / 1000).toFixed(1)} s`;
  preparation.push(
    `for ${connections} connection(s): ${preparedOrders}; ${preparedHolds}${retries.length ? `; ${retries.length} set-up steps tried again after: ${[...new Set(retries)].join(', ')}` : ''}`,
  );
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
        verified: [
          `bank answered ${deposits} deposit.do and ${delta.sandboxRequests['getOrderStatusExtended.do'] ?? 0} getOrderStatusExtended.do, ${delta.sandboxErrors} with an error code`,
        ],
        problems: deposits < row.requests || delta.sandboxErrors > 0 ? ['deposit.do count or error codes do not match'] : [],
      };
    },
  );

  let nextReturn = 0;
  const hit: string[] = [];
  const firstHit = await measure(
    (onMeasured) =>
      httpLoad({
        onMeasured,
        name: 'Return: GET of the order page with the bank’s orderId, first hit of an approved two-stage order (→ 200)',
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
        expect: (status) => status === 200,
      }),
    (row, delta) => {
      // `hit` is every request sent, the few still in flight when the run stopped included; once
      // the server is quiet each of them is paid or held (its sync ran), or still awaiting (never
      // served). The deposit may follow the answer; there is never more than one per order.
      const problems: string[] = [];
      const states = ledger.attemptStates(hit);
      const definite = (states.paid ?? 0) + (states.approved ?? 0) + (states.depositing ?? 0);
      const deposits = delta.shopCalls.deposit ?? 0;
      const answered = row.statuses['200'] ?? 0;
      if (definite < answered)
        problems.push(`${answered} answers but only ${definite} of the orders returned to are paid or held: ${JSON.stringify(states)}`);
      if (deposits > definite) problems.push(`${deposits} deposit.do for ${definite} orders`);
      if (definite + (states.awaiting ?? 0) !== hit.length)
        problems.push(`orders returned to left in other states: ${JSON.stringify(states)}`);
      if (delta.shopCallFailures > 0) problems.push(`${delta.shopCallFailures} gateway calls failed`);
      return {
        verified: [
          `${deposits} deposit.do and ${delta.shopCalls.getOrderStatusExtended ?? 0} getOrderStatusExtended.do by the shop for ${answered} answered returns; the ${hit.length} orders sent are now ${JSON.stringify(states)}`,
        ],
        problems,
      };
    },
  );
  // Not budgeted, to read the return's figure by: the same order page with no bank call to make
  // (an order the return run has paid), beside the empty app's page with none (floor-cost.mts).
  const paid = hit.find((orderId) => ledger.attemptStates([orderId]).paid === 1);
  if (paid === undefined) throw new Error('no order of the return run is paid: nothing to render the order page of');
  const pageOnly = await measure(
    (onMeasured) =>
      httpLoad({
        onMeasured,
        name: 'The order page of a paid order, no bank call (rendering alone; not budgeted)',
        server,
        path: `/orders/${paid}`,
        headers: { 'user-agent': shopperHeaders(base)['user-agent']! },
        connections,
        seconds,
        expect: (status) => status === 200,
      }),
    (row, delta) => ({
      verified: [`${total(delta.shopCalls)} gateway calls during the run`],
      problems: total(delta.shopCalls) === 0 ? [] : ['the page of a paid order called the bank'],
    }),
  );
  return { bareRegister: bareRegisterRow, checkout, bareReturn, firstHit, pageOnly };
}

function pathCost(path: PathCost['path'], shop: CostRow, bare: CostRow): PathCost {
  const answered = Math.max(1, shop.requests);
  return {
    path,
    connections: shop.connections,
    shopP50: shop.latencyMs.p50,
    bareP50: bare.latencyMs.p50,
    shopCpuMs: shop.serverCpuMsPerRequest,
    callsPerRequest: Object.fromEntries(Object.entries(shop.ledger.shopCalls).map(([operation, n]) => [operation, n / answered])),
  };
}

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/**
 * A load of "Pay" posts to `path`: the checkout form of `form` with a fresh key each (a fresh
 * rendering of the form carries one; a repeated key would reuse the open attempt's formUrl and
 * skip register.do), each answered by a redirect to the bank's payment page.
 */
export function checkoutLoad(server: BenchServer, bank: Bank, form: CheckoutForm, headers: Record<string, string>) {
  return {
    name: `POST ${form.action}`,
    server,
    path: form.action,
    method: 'POST' as const,
    headers,
    connections: LOAD.connections,
    seconds: LOAD.durationSeconds,
    next: () => {
      const { body, contentType } = checkoutBody(form, newCheckoutKey(), 'one-stage');
      return { body, headers: { 'content-type': contentType } };
    },
    expect: (status: number, location: string | undefined) => isPaymentRedirect(bank.base, status, location),
  };
}

/** `count` distinct two-stage orders placed through the shop's checkout form and approved by card: each one return's worth. */
export async function preparedReturns(base: string, form: CheckoutForm, bank: Bank, count: number, retries: string[]) {
  return prepare(count, 0, () =>
    withRetry(async () => {
      const order = await placeOrder(base, form, 'two-stage', bank.base);
      const returnUrl = new URL(await payByCard(order.formUrl));
      return { orderId: order.orderId, path: returnUrl.pathname + returnUrl.search };
    }, retries),
  );
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
