// The bench's verdicts (scripts/bench/budgets.mts): each figure against its limit from the same
// run. A miss is a miss, whatever else misses too; a figure that was not measured misses.
import { describe, expect, it } from 'vitest';
import { atLeast, atMost, growthVerdict, hangVerdict, limitVerdict, pageVerdicts, waitVerdict } from '../../scripts/bench/budgets.mjs';

const empty = { jsGzipBytes: 130 * 1024, score: 0.82, tbtMs: 700, cls: 0 };
const verdictOf = (page: Partial<typeof empty>, budget: string, shopper = true) =>
  pageVerdicts('Checkout', { ...empty, ...page }, empty, { shopper }).find((v) => v.budget.startsWith(budget));

describe('comparisons', () => {
  it('take the limit itself, and nothing unmeasured', () => {
    expect(atMost(5, 5)).toBe(true);
    expect(atMost(5.0001, 5)).toBe(false);
    expect(atMost(Number.NaN, 5)).toBe(false);
    expect(atMost(1, Number.NaN)).toBe(false);
    expect(atMost(1, Number.POSITIVE_INFINITY)).toBe(false);
    expect(atLeast(0.9, 0.9)).toBe(true);
    expect(atLeast(Number.NaN, 0)).toBe(false);
  });
});

describe('page budgets, against the empty App Router page of the same run', () => {
  it('first-load JS: at most the empty page + 15 KiB, for shopper pages', () => {
    expect(verdictOf({ jsGzipBytes: empty.jsGzipBytes + 15 * 1024 }, 'First-load JS')!.pass).toBe(true);
    expect(verdictOf({ jsGzipBytes: empty.jsGzipBytes + 15 * 1024 + 1 }, 'First-load JS')!.pass).toBe(false);
    expect(verdictOf({ jsGzipBytes: 10e6 }, 'First-load JS', false)).toBeUndefined();
  });
  it('TBT: at most the empty page’s + 30 ms, however slow the empty page itself is', () => {
    expect(verdictOf({ tbtMs: 730 }, 'TBT')!.pass).toBe(true);
    expect(verdictOf({ tbtMs: 731 }, 'TBT')!.pass).toBe(false);
    expect(
      pageVerdicts('Checkout', { ...empty, tbtMs: 160 }, { ...empty, tbtMs: 120 }, { shopper: true }).find((v) =>
        v.budget.startsWith('TBT'),
      )!.pass,
    ).toBe(false);
  });
  it('score: at least the empty page’s − 0.03', () => {
    expect(verdictOf({ score: 0.79 }, 'Lighthouse')!.pass).toBe(true);
    expect(verdictOf({ score: 0.78 }, 'Lighthouse')!.pass).toBe(false);
    expect(verdictOf({ score: Number.NaN }, 'Lighthouse')!.pass).toBe(false);
  });
  it('CLS: exactly 0', () => {
    expect(verdictOf({ cls: 0 }, 'CLS')!.pass).toBe(true);
    expect(verdictOf({ cls: 0.001 }, 'CLS')!.pass).toBe(false);
  });
  it('no verdict carries an escape hatch', () => {
    for (const verdict of pageVerdicts('Checkout', { ...empty, tbtMs: 5000, score: 0.1 }, empty, { shopper: true })) {
      expect(Object.keys(verdict).sort()).toEqual(['actual', 'budget', 'limit', 'pass', 'subject']);
    }
  });
});

describe('a shopper’s wait, beside its bare round trips', () => {
  const parts = [
    { name: 'register.do', p50: 160 },
    { name: 'gateway page', p50: 90 },
  ];
  it('is met at the sum of the bare p50s + 100 ms', () => {
    expect(waitVerdict('Tap Pay', { p50: 350, runs: 20 }, parts).pass).toBe(true);
  });
  it('is missed above it, by any margin', () => {
    expect(waitVerdict('Tap Pay', { p50: 351, runs: 20 }, parts).pass).toBe(false);
  });
  it('is missed with fewer than 20 runs, however fast', () => {
    expect(waitVerdict('Tap Pay', { p50: 10, runs: 19 }, parts).pass).toBe(false);
  });
  it('is missed when a bare figure was not measured', () => {
    expect(waitVerdict('Confirm', { p50: 10, runs: 20 }, [{ name: 'status', p50: Number.NaN }]).pass).toBe(false);
  });
});

describe('a hanging bank', () => {
  it('the return must answer within 3 s; no answer misses', () => {
    expect(hangVerdict(2999, 10_000).pass).toBe(true);
    expect(hangVerdict(3001, 10_000).pass).toBe(false);
    expect(hangVerdict(undefined, 10_000).pass).toBe(false);
  });
});

describe('growth with the database', () => {
  it('fixed limits at a million orders', () => {
    expect(limitVerdict('List p95', 'newest first', 20, 20).pass).toBe(true);
    expect(limitVerdict('List p95', 'newest first', 20.1, 20).pass).toBe(false);
  });
  it('the return route within 10 % of its figure on the small database', () => {
    expect(growthVerdict('Return', { p50: 110, orders: 1e6 }, { p50: 100, orders: 1e3 }).pass).toBe(true);
    expect(growthVerdict('Return', { p50: 110.1, orders: 1e6 }, { p50: 100, orders: 1e3 }).pass).toBe(false);
  });
});
