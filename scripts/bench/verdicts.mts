// Every verdict of a run, from its measured figures (the rules are in budgets.mts).
import {
  atMost,
  cpuVerdict,
  growthVerdict,
  hangVerdict,
  limitVerdict,
  mb,
  pageVerdicts,
  waitVerdict,
  type PageFigures,
  type Verdict,
} from './budgets.mjs';
import type { BuildInfo } from './build.mjs';
import { BUDGETS } from './config.mjs';
import type { FloorCost } from './floor-cost.mjs';
import { summarizeRounds, type CpuRounds } from './cpu-rounds.mjs';
import type { LighthouseResult } from './lighthouse.mjs';
import type { BenchPage } from './pages.mjs';
import type { PageWeight } from './page-weight.mjs';
import type { Scale } from './scale.mjs';
import type { ServerCost } from './server-cost.mjs';
import type { Hang, Waits } from './waits.mjs';

export function allVerdicts(input: {
  pages: readonly BenchPage[];
  weights: readonly PageWeight[];
  lighthouse: readonly LighthouseResult[];
  lighthouseEmpty: LighthouseResult;
  shop: BuildInfo;
  waits: Waits;
  hang: Hang;
  cost: ServerCost;
  floorCost: FloorCost;
  cpuRounds: CpuRounds[];
  scale: Scale | undefined;
  /** Why the growth figures could not be measured, when they could not. */
  scaleError?: string | undefined;
  serverPeakRssBytes: number;
}): Verdict[] {
  const verdicts: Verdict[] = [];
  const { waits } = input;
  verdicts.push(
    waitVerdict('Tap “Pay” → gateway page painted', { p50: waits.tapPay.p50, runs: waits.tapPay.ms.length }, [
      { name: 'bare register.do', p50: waits.bareRegister.p50 },
      { name: 'bare gateway page load', p50: waits.bareGatewayPage.p50 },
    ]),
  );
  for (const wait of [waits.confirmOneStage, waits.confirmTwoStage]) {
    verdicts.push(
      waitVerdict(wait.name, { p50: wait.p50, runs: wait.ms.length }, [
        { name: 'bare getOrderStatusExtended.do', p50: waits.bareStatus.p50 },
      ]),
    );
  }
  verdicts.push(hangVerdict(input.hang.answeredMs, input.hang.capMs));

  // A path without rounds is a miss (no rounds counted), never a verdict left out.
  for (const path of ['checkout', 'return'] as const) {
    const subject = path === 'checkout' ? 'Checkout submission (register.do)' : 'Return route, first hit';
    verdicts.push(cpuVerdict(subject, summarizeRounds(input.cpuRounds.find((rounds) => rounds.path === path)?.rounds ?? [])));
  }

  const emptyWeight = input.weights[0]!;
  const figures = (result: LighthouseResult, weight: PageWeight | undefined): PageFigures => ({
    jsGzipBytes: weight?.jsGzipBytes ?? Number.NaN,
    score: result.median.score,
    tbtMs: result.median.tbtMs,
    cls: result.median.cls,
  });
  const empty = figures(input.lighthouseEmpty, emptyWeight);
  for (const result of input.lighthouse) {
    const page = input.pages.find((p) => p.name === result.page);
    verdicts.push(
      ...pageVerdicts(
        result.page,
        figures(
          result,
          input.weights.find((w) => w.page === result.page),
        ),
        empty,
        { shopper: page?.shopper ?? true },
      ),
    );
  }

  // The shopper pages live under app/[lang]; proxy.ts serves / and /products/<slug> from these.
  for (const [subject, route, paths] of [
    ['Catalogue', '/[lang]', ['/ru', '/en']],
    ['Product', '/[lang]/products/[slug]', ['/ru/products/mug', '/en/products/mug']],
  ] as const) {
    const prerendered = paths.every((path) => input.shop.prerendered.includes(path));
    const gatewayCalls = subject === 'Catalogue' ? `, ${input.cost.catalogueGatewayCalls} gateway calls under load` : '';
    verdicts.push({
      budget: 'Served static or cached (no per-request work)',
      subject,
      limit: 'prerendered (○/● static or ISR)',
      actual: `build: ${input.shop.routeKinds[route] ?? '?'} ${prerendered ? 'prerendered' : 'rendered per request'}${gatewayCalls}`,
      pass: prerendered && (subject !== 'Catalogue' || input.cost.catalogueGatewayCalls === 0),
    });
  }
  for (const row of [...input.cost.rows, input.floorCost.pay, input.floorCost.route, input.floorCost.page]) {
    verdicts.push({
      budget: 'No errors under load',
      subject: `${row.name} ×${row.connections}`,
      limit: '0',
      actual: String(row.errors),
      pass: row.errors === 0 && row.requests > 0,
    });
  }
  for (const rounds of input.cpuRounds) {
    const errors = rounds.rounds.reduce((sum, round) => sum + round.errors, 0);
    verdicts.push({
      budget: 'No errors under load',
      subject: `CPU rounds: ${rounds.path}, shop and empty app`,
      limit: '0',
      actual: String(errors),
      pass: errors === 0 && rounds.rounds.length > 0,
    });
  }
  const peak = Math.max(input.serverPeakRssBytes, ...input.cost.rows.map((row) => row.peakRssBytes));
  verdicts.push({
    budget: `Peak RSS ≤ ${BUDGETS.peakRssMB} MB`,
    subject: "the shop's process",
    limit: `≤ ${BUDGETS.peakRssMB} MB`,
    actual: `${mb(peak)} MB`,
    pass: atMost(peak, BUDGETS.peakRssMB * 1e6),
  });

  const { scale } = input;
  if (input.scaleError !== undefined) {
    verdicts.push({
      budget: 'Growth with the database measured',
      subject: 'PostgreSQL',
      limit: 'measured',
      actual: `not measured: ${input.scaleError}`,
      pass: false,
    });
  }
  if (scale) {
    const at = `at ${scale.orders.toLocaleString('en')} orders`;
    for (const list of scale.list)
      verdicts.push(limitVerdict(`Console list page p95 ≤ ${BUDGETS.listP95Ms} ms ${at}`, list.name, list.p95, BUDGETS.listP95Ms));
    verdicts.push(
      limitVerdict(`Console summary p95 ≤ ${BUDGETS.summaryP95Ms} ms ${at}`, 'summary', scale.summary.p95, BUDGETS.summaryP95Ms),
    );
    verdicts.push(
      limitVerdict(
        `Reconciler tick p95 ≤ ${BUDGETS.tickP95Ms} ms ${at}`,
        `${scale.tick.examined === 0 ? 'open attempts all read within the interval' : `${scale.tick.examined} attempts synced in the timed ticks`}`,
        scale.tick.p95,
        BUDGETS.tickP95Ms,
      ),
    );
    verdicts.push(
      growthVerdict(
        'Return route (one-stage, first hit)',
        { p50: scale.returnBig.p50, orders: scale.returnBig.orders },
        { p50: scale.returnSmall.p50, orders: scale.returnSmall.orders },
      ),
    );
  }
  return verdicts;
}
