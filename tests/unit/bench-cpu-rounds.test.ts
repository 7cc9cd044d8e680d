// The CPU budget's rule (scripts/bench/cpu-rounds.mts, budgets.mts): shop and empty app measured
// in alternating rounds, the verdict on the median of the rounds' ratios; too few counted rounds
// is a miss, never a pass.
import { describe, expect, it } from 'vitest';
import { cpuVerdict } from '../../scripts/bench/budgets.mjs';
import { BUDGETS, CPU_ROUNDS } from '../../scripts/bench/config.mjs';
import { alternate, counts, shopFirstIn, summarizeRounds, type CpuRound } from '../../scripts/bench/cpu-rounds.mjs';
import type { LoadResult } from '../../scripts/bench/load.mjs';
import { cpuRoundsSection, writingNote } from '../../scripts/bench/report.mjs';

const round = (shopCpuMs: number, floorCpuMs: number, extra: Partial<CpuRound> = {}): CpuRound => ({
  shopFirst: false,
  shopCpuMs,
  floorCpuMs,
  shopRequests: 200,
  floorRequests: 200,
  errors: 0,
  ...extra,
});
/** `n` rounds whose ratios are `ratios` in turn, the empty app at 5 ms. */
const rounds = (...ratios: number[]) => ratios.map((ratio) => round(5 * ratio, 5));
const verdict = (list: CpuRound[]) => cpuVerdict('Checkout', summarizeRounds(list));

describe('the CPU budget, from alternating rounds', () => {
  it('is met when the median ratio is at most 1.3, and missed above it', () => {
    expect(BUDGETS.cpuOverFloor).toBe(1.3);
    expect(verdict(rounds(1.1, 1.2, 1.3, 1.3, 1.3, 1.4, 1.5, 1.6, 1.2)).pass).toBe(true);
    expect(verdict(rounds(1.1, 1.2, 1.31, 1.31, 1.31, 1.4, 1.5, 1.6, 1.2)).pass).toBe(false);
  });

  it('reads the median of the ratios, not the ratio of the sides’ medians or means', () => {
    // Shop medians 6.5 / empty app median 5.0 would be exactly 1.3; the rounds' own ratios say 1.5.
    const list = [round(6, 4), round(7.5, 5), round(9, 6), round(6.5, 4.33), round(12, 8), round(5, 5), round(5.2, 5.2)];
    const summary = summarizeRounds(list);
    expect(summary.ratio).toBeCloseTo(1.5, 2);
    expect(verdict(list).pass).toBe(false);
  });

  it('one round far off does not decide it either way', () => {
    expect(verdict(rounds(1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 3.0, 1.2, 1.2)).pass).toBe(true);
    expect(verdict(rounds(1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 0.5, 1.5, 1.5)).pass).toBe(false);
  });

  it('misses when fewer than the minimum of rounds counted', () => {
    const good = rounds(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
    expect(verdict(good).pass).toBe(true);
    expect(verdict(good.slice(0, CPU_ROUNDS.minCounted - 1)).pass).toBe(false);
    expect(verdict([]).pass).toBe(false);
    const spoilt = good.map((r, i) => (i < good.length - CPU_ROUNDS.minCounted + 1 ? { ...r, errors: 1 } : r));
    expect(summarizeRounds(spoilt).counted).toBe(CPU_ROUNDS.minCounted - 1);
    expect(verdict(spoilt).pass).toBe(false);
    expect(verdict(spoilt).actual).toMatch(/fewer than/);
  });

  it('a round with errors, too few requests or no empty-app figure does not count', () => {
    expect(counts(round(6, 5))).toBe(true);
    expect(counts(round(6, 5, { errors: 1 }))).toBe(false);
    expect(counts(round(6, 5, { shopRequests: CPU_ROUNDS.minRequests - 1 }))).toBe(false);
    expect(counts(round(6, 5, { floorRequests: CPU_ROUNDS.minRequests - 1 }))).toBe(false);
    expect(counts(round(6, 0))).toBe(false);
    expect(counts(round(6, Number.NaN))).toBe(false);
  });

  it('alternates which side goes first, ABBA', () => {
    const order = Array.from({ length: 8 }, (_, i) => (shopFirstIn(i) ? 'S' : 'E')).join('');
    expect(order).toBe('ESSEESSE');
    expect(CPU_ROUNDS.rounds % 2).toBe(1);
  });

  it('asks before every round whether both sides have requests for it, and a no ends the rounds, saying so', async () => {
    const run = (cpu: number) => async (): Promise<LoadResult> => ({ ...RUN, serverCpuMsPerRequest: cpu });
    const asked: number[] = [];
    let prepared = 5;
    const ready = async () => {
      asked.push(asked.length);
      return prepared-- > 0; // five rounds' worth, then none
    };
    const result = await alternate('return', run(2), run(1), () => undefined, ready);
    expect(asked).toHaveLength(6);
    expect(result.rounds).toHaveLength(5);
    expect(result.notes).toEqual(['the prepared orders ran out after 5 rounds']);
    expect(summarizeRounds(result.rounds).ratio).toBe(2);
  });
});

describe('the checkout beside the empty app making its writes (reported, not budgeted)', () => {
  const floorCost = { pay: runAt(2.8), writingPay: runAt(3.6) };

  it('is named as not budgeted wherever its rounds are listed', () => {
    const section = cpuRoundsSection([
      { path: 'checkout', rounds: rounds(2, 2, 2), notes: [] },
      { path: 'checkout-writes', rounds: rounds(1.25, 1.3, 1.35), notes: [] },
    ]).join('\n');
    expect(section).toContain(
      "| checkout beside the empty app's route making the checkout's writes (not budgeted) | **median of 3 counted** |",
    );
    expect(section).toContain('| checkout | **median of 3 counted** | 10.00 | 5.00 | **2.00×** |');
  });

  it('gives the ratio of its alternating rounds beside that of the single runs', () => {
    const note = writingNote(floorCost, 4.68, summarizeRounds(rounds(1.2, 1.3, 1.4)));
    expect(note).toContain('3.60 ms of CPU a request, 0.80 ms over the route alone');
    expect(note).toContain('is 1.30× that in their single runs');
    expect(note).toContain("In 3 alternating rounds the shop's checkout is 1.30× that route (median; rounds 1.20–1.40×");
    expect(writingNote(floorCost, 4.68)).not.toContain('alternating');
  });
});

const RUN: LoadResult = {
  name: 'fake',
  driver: 'autocannon',
  connections: 10,
  seconds: 4,
  requests: 100,
  requestsPerSecond: 25,
  latencyMs: { p50: 1, p99: 1, mean: 1, max: 1 },
  errors: 0,
  statuses: { '200': 100 },
  peakRssBytes: 0,
  serverCpuMsPerRequest: 1,
  clientCpuMsPerRequest: 0,
  notes: [],
};

/** A run whose server spent `cpu` ms of CPU a request. */
function runAt(cpu: number): LoadResult {
  return { ...RUN, serverCpuMsPerRequest: cpu };
}
