// The CPU budget's figures: the shop and the empty App Router app (the floor) measured in short
// rounds that alternate between them, at the same load, each round's ratio taken on its own, and
// the verdict on the median ratio. Measuring each side once, minutes apart, put the machine's
// drift into the ratio: one build's checkout measured 2.03× in one run and 1.61× in the next,
// and two identical servers measured one after the other came out up to 1.36× apart. Within a
// round both sides see the same machine; the order alternates ABBA, so that neither side always
// goes first (the second of a pair pays for the first's garbage collection and cache misses).
import type { Bank } from './bank.mjs';
import { FLOOR_PAY_FORM, FLOOR_WRITING_PAY_FORM } from './build.mjs';
import { CPU_ROUNDS, LOAD } from './config.mjs';
import { approvedHold, benchClient } from './gateway-baseline.mjs';
import { floorReturnPath } from './floor-cost.mjs';
import { httpLoad, quietCpuSeconds, type LoadResult } from './load.mjs';
import type { BenchServer } from './server.mjs';
import { checkoutLoad, prepare, preparedReturns } from './server-cost.mjs';
import { median } from './stats.mjs';
import { readCheckoutForm, shopperHeaders, withRetry } from './shopper.mjs';

export type CpuRound = {
  shopFirst: boolean;
  shopCpuMs: number;
  floorCpuMs: number;
  shopRequests: number;
  floorRequests: number;
  /** Unexpected answers on either side: such a round does not count. */
  errors: number;
};

/**
 * `checkout-writes`: the shop's checkout beside the empty app's "Pay" route that also makes the
 * checkout's writes (build.mts), not budgeted: what is left of the gap once the floor does what any
 * shop recording its orders must.
 */
export type CpuRounds = { path: 'checkout' | 'checkout-writes' | 'return'; rounds: CpuRound[]; notes: string[] };

/** What the verdict reads: the median of the counted rounds' ratios, with their spread. */
export type CpuRoundsSummary = {
  counted: number;
  ratio: number;
  lowRatio: number;
  highRatio: number;
  shopCpuMs: number;
  floorCpuMs: number;
};

/** ABBA: of every four rounds the first and the last start with the floor, the two between with the shop. */
export function shopFirstIn(round: number): boolean {
  return round % 4 === 1 || round % 4 === 2;
}

/** A round counts when both sides answered at least CPU_ROUNDS.minRequests requests, all as expected. */
export function counts(round: CpuRound): boolean {
  return (
    round.errors === 0 &&
    round.shopRequests >= CPU_ROUNDS.minRequests &&
    round.floorRequests >= CPU_ROUNDS.minRequests &&
    round.floorCpuMs > 0
  );
}

export function summarizeRounds(rounds: readonly CpuRound[]): CpuRoundsSummary {
  const counted = rounds.filter(counts);
  const ratios = counted.map((round) => round.shopCpuMs / round.floorCpuMs);
  return {
    counted: counted.length,
    ratio: median(ratios),
    lowRatio: ratios.length ? Math.min(...ratios) : Number.NaN,
    highRatio: ratios.length ? Math.max(...ratios) : Number.NaN,
    shopCpuMs: median(counted.map((round) => round.shopCpuMs)),
    floorCpuMs: median(counted.map((round) => round.floorCpuMs)),
  };
}

type Side = (seconds: number) => Promise<LoadResult>;

/**
 * `ready`: before each round, makes sure both sides have requests for a whole one (prepared orders
 * never run out mid-round); false ends the rounds.
 */
export async function alternate(
  path: CpuRounds['path'],
  shop: Side,
  floor: Side,
  log: (line: string) => void,
  ready: () => Promise<boolean> = async () => true,
): Promise<CpuRounds> {
  const seconds = CPU_ROUNDS.secondsPerRound;
  const rounds: CpuRound[] = [];
  const notes: string[] = [];
  for (let i = 0; i < CPU_ROUNDS.rounds; i++) {
    if (!(await ready())) {
      notes.push(`the prepared orders ran out after ${i} rounds`);
      log(`  ${path}: ${notes.at(-1)}`);
      break;
    }
    const shopFirst = shopFirstIn(i);
    const first = await (shopFirst ? shop : floor)(seconds);
    const second = await (shopFirst ? floor : shop)(seconds);
    const [shopRun, floorRun] = shopFirst ? [first, second] : [second, first];
    const round: CpuRound = {
      shopFirst,
      shopCpuMs: shopRun.serverCpuMsPerRequest,
      floorCpuMs: floorRun.serverCpuMsPerRequest,
      shopRequests: shopRun.requests,
      floorRequests: floorRun.requests,
      errors: shopRun.errors + floorRun.errors,
    };
    rounds.push(round);
    log(
      `  ${path} round ${i + 1} (${shopFirst ? 'shop' : 'empty app'} first): shop ${round.shopCpuMs.toFixed(2)} ms/req (${round.shopRequests}), empty app ${round.floorCpuMs.toFixed(2)} ms/req (${round.floorRequests}), ${(round.shopCpuMs / round.floorCpuMs).toFixed(2)}×${round.errors ? `, ${round.errors} errors: not counted` : ''}`,
    );
  }
  return { path, rounds, notes };
}

/**
 * Both payment paths' rounds, on servers already warm from the runs before (each side gets one
 * short unmeasured run first all the same). The checkout: the shop's form post beside the empty
 * app's "Pay" route, and again beside that route making the checkout's writes (not budgeted). The
 * return: the shop's order page on the bank's return, first hit of an approved two-stage order,
 * beside the empty app's page making the same calls (`routeCalls`) for an approved hold; both kinds
 * prepared beforehand, enough for every round.
 */
export async function measureCpuRounds(
  shop: BenchServer,
  floor: BenchServer,
  bank: Bank,
  routeCalls: readonly string[],
  log: (line: string) => void,
): Promise<CpuRounds[]> {
  const connections = LOAD.connections;
  const warmUpSeconds = 0;
  const shopForm = await readCheckoutForm(shop.base);
  const floorForm = await readCheckoutForm(floor.base, FLOOR_PAY_FORM);
  const shopPay: Side = (seconds) => httpLoad({ ...checkoutLoad(shop, bank, shopForm, shopperHeaders(shop.base)), seconds, warmUpSeconds });
  const floorPay: Side = (seconds) => httpLoad({ ...checkoutLoad(floor, bank, floorForm, { origin: floor.base }), seconds, warmUpSeconds });
  await shopPay(CPU_ROUNDS.settleSeconds);
  await floorPay(CPU_ROUNDS.settleSeconds);
  const checkout = await alternate('checkout', shopPay, floorPay, log);
  const writingForm = await readCheckoutForm(floor.base, FLOOR_WRITING_PAY_FORM);
  const writingPay: Side = (seconds) =>
    httpLoad({ ...checkoutLoad(floor, bank, writingForm, { origin: floor.base }), seconds, warmUpSeconds });
  await writingPay(CPU_ROUNDS.settleSeconds);
  const checkoutWrites = await alternate('checkout-writes', shopPay, writingPay, log);

  // Enough for every round and the settling runs at the rates CPU_ROUNDS expects, and for the
  // requests autocannon builds for each connection at a run's start and end without sending them
  // all. Preparing stops after a minute (prepare()), and a side may answer faster than expected:
  // what is missing is prepared between rounds (`ready`), never mid-round.
  const returnSeconds = CPU_ROUNDS.rounds * CPU_ROUNDS.secondsPerRound + CPU_ROUNDS.settleSeconds;
  const unsent = 2 * connections * (CPU_ROUNDS.rounds + 1);
  const retries: string[] = [];
  const started = performance.now();
  const client = benchClient(bank.restUrl);
  const moreOrders = (count: number) => preparedReturns(shop.base, shopForm, bank, count, retries);
  const moreHolds = (count: number) => prepare(count, 0, () => withRetry(() => approvedHold(client, 'http://localhost'), retries));
  const orders = await moreOrders(returnSeconds * CPU_ROUNDS.returnsPerSecond.shop + unsent);
  const holds = await moreHolds(returnSeconds * CPU_ROUNDS.returnsPerSecond.floor + unsent);
  let preparing = performance.now() - started;
  const prepared = () =>
    `${orders.length} two-stage orders through the shop's checkout and ${holds.length} holds for the empty app, approved by card, in ${(preparing / 1000).toFixed(1)} s${retries.length ? ` (${retries.length} steps tried again)` : ''}`;
  log(`  prepared ${prepared()}`);
  let nextOrder = 0;
  let nextHold = 0;
  // What each side answered in its last run: a round needs as many again, and the requests
  // autocannon builds ahead for each connection.
  const perRound = {
    shop: CPU_ROUNDS.returnsPerSecond.shop * CPU_ROUNDS.secondsPerRound,
    floor: CPU_ROUNDS.returnsPerSecond.floor * CPU_ROUNDS.secondsPerRound,
  };
  const answered = { ...perRound };
  const userAgent = shopperHeaders(shop.base)['user-agent']!;
  const shopReturn: Side = async (seconds) => {
    const run = await httpLoad({
      name: 'Return (rounds)',
      server: shop,
      path: '/',
      headers: { 'user-agent': userAgent },
      connections,
      seconds,
      warmUpSeconds,
      maxRequests: orders.length - nextOrder,
      next: () => ({ path: orders[nextOrder++]!.path }),
      expect: (status) => status === 200,
    });
    answered.shop = run.requests;
    return run;
  };
  const floorReturn: Side = async (seconds) => {
    const run = await httpLoad({
      name: 'Empty app return (rounds)',
      server: floor,
      path: '/back',
      headers: {},
      connections,
      seconds,
      warmUpSeconds,
      maxRequests: holds.length - nextHold,
      next: () => ({ path: floorReturnPath(holds[nextHold++]!, routeCalls) }),
      expect: (status) => status === 200,
    });
    answered.floor = run.requests;
    return run;
  };
  await shopReturn(CPU_ROUNDS.settleSeconds);
  await floorReturn(CPU_ROUNDS.settleSeconds);
  // The settling runs are shorter than a round: the first round is sized by what CPU_ROUNDS expects.
  Object.assign(answered, perRound);
  // A round may answer a quarter more than the last one did, and autocannon builds two requests
  // ahead for each connection.
  const wanted = (answeredLast: number) => Math.ceil(answeredLast * 1.25) + 2 * connections;
  const short = () => ({
    shop: wanted(answered.shop) - (orders.length - nextOrder),
    floor: wanted(answered.floor) - (holds.length - nextHold),
  });
  const ready = async () => {
    const missing = short();
    if (missing.shop <= 0 && missing.floor <= 0) return true;
    const topUp = performance.now();
    if (missing.shop > 0) orders.push(...(await moreOrders(missing.shop)));
    if (missing.floor > 0) holds.push(...(await moreHolds(missing.floor)));
    // The shop placed those orders: its round starts once that work is over.
    await quietCpuSeconds(shop);
    preparing += performance.now() - topUp;
    log(`  return: topped up to ${orders.length} orders and ${holds.length} holds before the next round`);
    const left = short();
    return left.shop <= 0 && left.floor <= 0;
  };
  const returns = await alternate('return', shopReturn, floorReturn, log, ready);
  returns.notes.push(`prepared ${prepared()}`);
  return [checkout, checkoutWrites, returns];
}
