// The bench's verdicts (scripts/bench/budgets.mts): a missed budget fails the run unless the
// framework's own floor, measured in the same run, misses it too; only then is it "unreachable".
import { describe, expect, it } from 'vitest';
import type { BootTask } from '../../scripts/bench/boot-task.mjs';
import { checkBudgets } from '../../scripts/bench/budgets.mjs';
import type { BuildInfo } from '../../scripts/bench/build.mjs';
import type { LighthouseResult } from '../../scripts/bench/lighthouse.mjs';
import type { CostRow, Ratio, ServerCost } from '../../scripts/bench/server-cost.mjs';

const row: CostRow = {
  name: 'Checkout submission', driver: 'autocannon', connections: 10, seconds: 10, requests: 100, requestsPerSecond: 10,
  latencyMs: { p50: 10, p99: 20, mean: 11, max: 30 }, errors: 0, statuses: { 303: 100 }, peakRssBytes: 200e6,
  serverCpuMsPerRequest: 5, clientCpuMsPerRequest: 0, notes: [],
  ledger: { shopCalls: {}, shopCallFailures: 0, sandboxRequests: {}, sandboxErrors: 0 }, verified: [], problems: [],
};
const shop: BuildInfo = {
  dir: '.', seconds: 1, routeKinds: { '/[lang]': '●', '/[lang]/products/[slug]': '●' }, routeStats: [],
  prerendered: ['/ru', '/en', '/ru/products/mug', '/en/products/mug'], prerenderedDynamic: [],
};
const page = { name: 'Checkout', path: '/checkout', url: 'http://x/checkout', headers: {}, shopper: true, state: '' };

function lighthouse(tbtMs: number): LighthouseResult {
  const median = { score: 0.99, lcpMs: 1500, tbtMs, cls: 0, totalBytes: 1 };
  return { page: 'Checkout', path: '/checkout', quiet: { waitedSeconds: 1, idle: 0.99, reached: true }, runs: [{ ...median, status: 200, benchmarkIndex: 2800, warnings: [] }], median, warnings: [] };
}

function verdicts(options: { tbtMs?: number; bootTasks?: BootTask[]; ratio?: Partial<Ratio> }) {
  const ratio: Ratio = { path: 'Checkout submission', connections: 10, shopP50: 40, bareP50: 10, ratioP50: 4, ratioMean: 4, ratioCpu: 4, budget: 1.5, ...options.ratio };
  const cost: ServerCost = { rows: [row], ratios: [ratio], catalogueGatewayCalls: 0, preparation: [] };
  const checks = checkBudgets({
    pages: [page],
    weights: [{ page: 'Checkout', path: '/checkout', jsSource: '', jsGzipBytes: 100 * 1024, jsRawBytes: 1, htmlStatus: 200, htmlBytes: 1, htmlWireBytes: 1, cacheControl: 'no-store', nextCache: null }],
    floorJsGzipBytes: 95 * 1024,
    lighthouse: [lighthouse(options.tbtMs ?? 50)],
    bootTasks: options.bootTasks ?? [],
    shop,
    cost,
    serverPeakRssBytes: 200e6,
  });
  const one = (budget: string) => checks.find((check) => check.budget.startsWith(budget))!;
  const state = (budget: string) => (one(budget).unreachable ? 'unreachable' : one(budget).pass ? 'met' : 'missed');
  return { tbt: state('TBT'), ratio: state('Checkout submission'), all: checks };
}

const boot = (floor: number, checkout: number): BootTask[] => [
  { page: 'Empty App Router page (floor)', longestMs: [floor], medianMs: floor },
  { page: 'Checkout', longestMs: [checkout], medianMs: checkout },
];

describe('TBT ≤ 100 ms', () => {
  it('is met at or under 100 ms', () => {
    expect(verdicts({ tbtMs: 100, bootTasks: boot(180, 180) }).tbt).toBe('met');
  });
  it('is unreachable over 100 ms when the empty page’s boot task alone is over 150 ms and the page’s is no longer', () => {
    expect(verdicts({ tbtMs: 120, bootTasks: boot(180, 190) }).tbt).toBe('unreachable');
  });
  it('is missed when the framework’s boot task leaves room for it', () => {
    expect(verdicts({ tbtMs: 120, bootTasks: boot(140, 140) }).tbt).toBe('missed');
  });
  it('is missed when the page’s boot task is longer than the empty page’s (the shop’s code)', () => {
    expect(verdicts({ tbtMs: 120, bootTasks: boot(180, 230) }).tbt).toBe('missed');
  });
  it('is missed when the TBT is more than that one task could make', () => {
    expect(verdicts({ tbtMs: 200, bootTasks: boot(180, 180) }).tbt).toBe('missed');
  });
  it('is missed without a boot-task measurement', () => {
    expect(verdicts({ tbtMs: 120 }).tbt).toBe('missed');
  });
});

describe('payment-path ratio budgets', () => {
  it('are met at or under the budget', () => {
    expect(verdicts({ ratio: { ratioP50: 1.5, floorCpu: 2 } }).ratio).toBe('met');
  });
  it('are unreachable when the framework floor in one process is over the budget', () => {
    const { ratio, all } = verdicts({ ratio: { ratioP50: 4, floorP50: 1.2, floorCpu: 2.4 } });
    expect(ratio).toBe('unreachable');
    expect(all.find((check) => check.budget.startsWith('Checkout'))!.actual).toContain('framework floor 2.40×');
  });
  it('are missed when the floor is under the budget, or was not measured', () => {
    expect(verdicts({ ratio: { ratioP50: 4, floorP50: 1.2, floorCpu: 1.4 } }).ratio).toBe('missed');
    expect(verdicts({ ratio: { ratioP50: 4 } }).ratio).toBe('missed');
  });
});
