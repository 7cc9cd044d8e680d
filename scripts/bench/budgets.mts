// The budgets of issue 6, each checked against the measured figures.
import type { BuildInfo } from './build.mjs';
import { BUDGETS } from './config.mjs';
import type { LighthouseResult } from './lighthouse.mjs';
import type { BenchPage } from './pages.mjs';
import type { PageWeight } from './page-weight.mjs';
import type { ServerCost } from './server-cost.mjs';

export type BudgetCheck = { budget: string; subject: string; limit: string; actual: string; pass: boolean };

const KiB = 1024;

export function checkBudgets(input: {
  pages: readonly BenchPage[];
  weights: readonly PageWeight[];
  floorJsGzipBytes: number;
  lighthouse: readonly LighthouseResult[];
  shop: BuildInfo;
  cost: ServerCost;
  serverPeakRssBytes: number;
}): BudgetCheck[] {
  const checks: BudgetCheck[] = [];
  const limitJs = input.floorJsGzipBytes + BUDGETS.jsOverFloorKiB * KiB;
  for (const page of input.pages.filter((p) => p.shopper)) {
    const weight = input.weights.find((w) => w.page === page.name)!;
    checks.push({
      budget: 'First-load JS ≤ floor + 15 KiB (gzip)',
      subject: page.name,
      limit: `${kib(limitJs)} KiB`,
      actual: `${kib(weight.jsGzipBytes)} KiB (floor + ${kib(weight.jsGzipBytes - input.floorJsGzipBytes)})`,
      pass: weight.jsGzipBytes <= limitJs,
    });
  }
  for (const result of input.lighthouse) {
    const { score, cls, tbtMs } = result.median;
    checks.push({ budget: 'Lighthouse mobile performance ≥ 0.95', subject: result.page, limit: '≥ 0.95', actual: score.toFixed(2), pass: score >= BUDGETS.performanceScore });
    checks.push({ budget: 'CLS = 0', subject: result.page, limit: '0', actual: formatCls(cls), pass: cls <= BUDGETS.cls });
    checks.push({ budget: 'TBT ≤ 100 ms', subject: result.page, limit: '≤ 100 ms', actual: `${Math.round(tbtMs)} ms`, pass: tbtMs <= BUDGETS.tbtMs });
  }
  // The shopper pages live under app/[lang]; proxy.ts serves / and /products/<slug> from these.
  for (const [subject, route, paths] of [
    ['Catalogue', '/[lang]', ['/ru', '/en']],
    ['Product', '/[lang]/products/[slug]', ['/ru/products/mug', '/en/products/mug']],
  ] as const) {
    const prerendered = paths.every((path) => input.shop.prerendered.includes(path));
    const gatewayCalls = subject === 'Catalogue' ? `, ${input.cost.catalogueGatewayCalls} gateway calls under load` : '';
    const weight = input.weights.find((w) => w.page === subject);
    checks.push({
      budget: 'Served static or cached (no per-request work)',
      subject,
      limit: 'prerendered (○/● static or ISR)',
      actual: `build: ${input.shop.routeKinds[route] ?? '?'} ${prerendered ? 'prerendered' : 'rendered per request'}; Cache-Control: ${weight?.cacheControl ?? '?'}${gatewayCalls}`,
      pass: prerendered && (subject !== 'Catalogue' || input.cost.catalogueGatewayCalls === 0),
    });
  }
  for (const ratio of input.cost.ratios) {
    if (ratio.budget === undefined) continue;
    checks.push({
      budget: `${ratio.path} ≤ ${ratio.budget} × bare gateway calls (p50, ${ratio.connections} connections)`,
      subject: ratio.path,
      limit: `≤ ${ratio.budget}×`,
      actual: `${ratio.ratioP50.toFixed(2)}× (${ratio.shopP50.toFixed(1)} ms / ${ratio.bareP50.toFixed(1)} ms)${ratio.floorCpu === undefined ? '' : `; framework floor ${ratio.floorP50!.toFixed(2)}× on p50, ${ratio.floorCpu.toFixed(2)}× on CPU`}`,
      pass: ratio.ratioP50 <= ratio.budget,
    });
  }
  for (const row of input.cost.rows) {
    checks.push({ budget: 'No errors under load', subject: `${row.name} ×${row.connections}`, limit: '0', actual: String(row.errors), pass: row.errors === 0 && row.requests > 0 });
  }
  const peak = Math.max(input.serverPeakRssBytes, ...input.cost.rows.map((row) => row.peakRssBytes));
  checks.push({
    budget: 'Peak RSS ≤ 400 MB',
    subject: 'server process (VmHWM over the whole bench, and sampled per run)',
    limit: `≤ ${BUDGETS.peakRssMB} MB`,
    actual: `${mb(peak)} MB`,
    pass: peak <= BUDGETS.peakRssMB * 1e6,
  });
  return checks;
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
