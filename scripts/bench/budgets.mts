// The budgets, each a comparison of a figure with a limit measured in the same run. A miss is a
// miss: no rule excuses one because the framework, the machine or the bank misses too; a figure
// that could not be measured (NaN, too few runs, no answer) misses as well.
import { BUDGETS, CPU_ROUNDS } from './config.mjs';
import type { CpuRoundsSummary } from './cpu-rounds.mjs';

export type Verdict = { budget: string; subject: string; limit: string; actual: string; pass: boolean };

const KiB = 1024;

/** value ≤ limit, both measured; NaN or ±Infinity on either side misses. */
export function atMost(value: number, limit: number): boolean {
  return Number.isFinite(value) && Number.isFinite(limit) && value <= limit;
}

/** value ≥ limit, both measured. */
export function atLeast(value: number, limit: number): boolean {
  return Number.isFinite(value) && Number.isFinite(limit) && value >= limit;
}

/** The figures of one page and of the empty App Router page, from the same run. */
export type PageFigures = { jsGzipBytes: number; score: number; tbtMs: number; cls: number };

export function pageVerdicts(subject: string, page: PageFigures, empty: PageFigures, options: { shopper: boolean }): Verdict[] {
  const verdicts: Verdict[] = [];
  if (options.shopper) {
    const limit = empty.jsGzipBytes + BUDGETS.jsOverEmptyKiB * KiB;
    verdicts.push({
      budget: `First-load JS ≤ empty page + ${BUDGETS.jsOverEmptyKiB} KiB (gzip)`,
      subject,
      limit: `${kib(limit)} KiB`,
      actual: `${kib(page.jsGzipBytes)} KiB (empty + ${kib(page.jsGzipBytes - empty.jsGzipBytes)})`,
      pass: atMost(page.jsGzipBytes, limit),
    });
  }
  const tbtLimit = empty.tbtMs + BUDGETS.tbtOverEmptyMs;
  verdicts.push({
    budget: `TBT ≤ empty page's + ${BUDGETS.tbtOverEmptyMs} ms`,
    subject,
    limit: `${Math.round(tbtLimit)} ms`,
    actual: `${Math.round(page.tbtMs)} ms`,
    pass: atMost(page.tbtMs, tbtLimit),
  });
  const scoreLimit = empty.score - BUDGETS.scoreUnderEmpty;
  verdicts.push({
    budget: `Lighthouse performance ≥ empty page's − ${BUDGETS.scoreUnderEmpty}`,
    subject,
    limit: `≥ ${scoreLimit.toFixed(2)}`,
    actual: page.score.toFixed(2),
    pass: atLeast(page.score, scoreLimit - 1e-9),
  });
  verdicts.push({ budget: 'CLS = 0', subject, limit: '0', actual: formatCls(page.cls), pass: page.cls === 0 });
  return verdicts;
}

/** A shopper's wait: its p50 over at least BUDGETS.minWaitRuns runs ≤ the sum of its bare round trips' p50s + the allowance. */
export function waitVerdict(
  subject: string,
  wait: { p50: number; runs: number },
  parts: readonly { name: string; p50: number }[],
): Verdict {
  const limit = parts.reduce((sum, part) => sum + part.p50, 0) + BUDGETS.waitAllowanceMs;
  const enough = wait.runs >= BUDGETS.minWaitRuns;
  return {
    budget: `p50 ≤ ${parts.map((part) => part.name).join(' + ')} + ${BUDGETS.waitAllowanceMs} ms`,
    subject,
    limit: `${limit.toFixed(0)} ms (${parts.map((part) => part.p50.toFixed(0)).join(' + ')} + ${BUDGETS.waitAllowanceMs})`,
    actual: `${wait.p50.toFixed(0)} ms over ${wait.runs} runs${enough ? '' : ` (fewer than ${BUDGETS.minWaitRuns})`}`,
    pass: enough && atMost(wait.p50, limit),
  };
}

/** A bank that hangs: the return answers within the limit; no answer at all misses. */
export function hangVerdict(answeredMs: number | undefined, capMs: number): Verdict {
  return {
    budget: `The return answers within ${BUDGETS.hangAnswerMs / 1000} s while the bank hangs`,
    subject: 'Return route, status read hanging',
    limit: `≤ ${BUDGETS.hangAnswerMs} ms`,
    actual: answeredMs === undefined ? `no answer within ${capMs} ms` : `${answeredMs.toFixed(0)} ms`,
    pass: answeredMs !== undefined && atMost(answeredMs, BUDGETS.hangAnswerMs),
  };
}

/**
 * The shop's CPU per request ≤ the ratio × the floor app's for the same gateway calls: the median
 * of the ratios of alternating rounds (scripts/bench/cpu-rounds.mts), of which at least
 * CPU_ROUNDS.minCounted must have counted.
 */
export function cpuVerdict(subject: string, rounds: CpuRoundsSummary): Verdict {
  const enough = rounds.counted >= CPU_ROUNDS.minCounted;
  return {
    budget: `Shop CPU per request ≤ ${BUDGETS.cpuOverFloor} × the empty app's for the same gateway calls (median of alternating rounds)`,
    subject,
    limit: `${BUDGETS.cpuOverFloor}× (empty app ${rounds.floorCpuMs.toFixed(2)} ms, median)`,
    actual: enough
      ? `${rounds.ratio.toFixed(2)}× (rounds ${rounds.lowRatio.toFixed(2)}–${rounds.highRatio.toFixed(2)}; shop ${rounds.shopCpuMs.toFixed(2)} ms, median)`
      : `${rounds.counted} rounds counted, fewer than ${CPU_ROUNDS.minCounted}`,
    pass: enough && atMost(rounds.ratio, BUDGETS.cpuOverFloor),
  };
}

/** A figure under a fixed limit (the database budgets: ms at a million orders). */
export function limitVerdict(budget: string, subject: string, value: number, limit: number, unit = 'ms'): Verdict {
  return { budget, subject, limit: `≤ ${limit} ${unit}`, actual: `${value.toFixed(1)} ${unit}`, pass: atMost(value, limit) };
}

/** The return route's p50 on the big database within the growth allowance of its p50 on the small one. */
export function growthVerdict(subject: string, big: { p50: number; orders: number }, small: { p50: number; orders: number }): Verdict {
  const limit = small.p50 * (1 + BUDGETS.returnGrowth);
  return {
    budget: `p50 at ${big.orders.toLocaleString('en')} orders ≤ its p50 at ${small.orders.toLocaleString('en')} + ${BUDGETS.returnGrowth * 100} %`,
    subject,
    limit: `${limit.toFixed(1)} ms (${small.p50.toFixed(1)} ms + ${BUDGETS.returnGrowth * 100} %)`,
    actual: `${big.p50.toFixed(1)} ms`,
    pass: atMost(big.p50, limit),
  };
}

export function kib(bytes: number): string {
  return (bytes / KiB).toFixed(1);
}

export function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(0);
}

export function formatCls(cls: number): string {
  return cls === 0 ? '0' : cls.toPrecision(2);
}
