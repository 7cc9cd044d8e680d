// The report: bench-results/report.md for people, report.json for tools, chart.svg for both.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatCls, kib, mb, type Verdict } from './budgets.mjs';
import type { BuildInfo } from './build.mjs';
import { chartSvg, type ChartPanel } from './chart.mjs';
import { BANK_LATENCY } from './bank.mjs';
import { BUDGETS, CPU_ROUNDS, LOAD, OUT_DIR, SCALE_OPEN_ATTEMPTS, SERVER_SETTINGS } from './config.mjs';
import type { FloorCost } from './floor-cost.mjs';
import { counts, summarizeRounds, type CpuRounds, type CpuRoundsSummary } from './cpu-rounds.mjs';
import type { LighthouseResult } from './lighthouse.mjs';
import type { PageWeight } from './page-weight.mjs';
import type { Scale } from './scale.mjs';
import type { ServerCost } from './server-cost.mjs';
import type { Hang, Waits } from './waits.mjs';

export type Machine = {
  date: string;
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  chromium: string;
  next: string;
  lighthouse: string;
  commit: string;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
};

export type Report = {
  command: string;
  machine: Machine;
  seconds: number;
  builds: { shop: BuildInfo; floor: BuildInfo };
  weights: PageWeight[];
  lighthouse: LighthouseResult[];
  /** The empty App Router page, measured the same way in the same run. */
  lighthouseEmpty: LighthouseResult;
  waits: Waits;
  hang: Hang;
  cost: ServerCost;
  floorCost: FloorCost;
  cpuRounds: CpuRounds[];
  scale: Scale | undefined;
  serverPeakRssBytes: number;
  verdicts: Verdict[];
  notes: string[];
};

export function writeReport(report: Report): { markdown: string; json: string; chart: string } {
  const markdownPath = path.join(OUT_DIR, 'report.md');
  const jsonPath = path.join(OUT_DIR, 'report.json');
  const chartPath = path.join(OUT_DIR, 'chart.svg');
  const { builds, ...rest } = report;
  writeFileSync(
    jsonPath,
    `${JSON.stringify({ ...rest, builds: { shop: { seconds: builds.shop.seconds, routeKinds: builds.shop.routeKinds }, floor: { seconds: builds.floor.seconds } } }, null, 2)}\n`,
  );
  writeFileSync(chartPath, chart(report));
  writeFileSync(markdownPath, markdown(report));
  return { markdown: markdownPath, json: jsonPath, chart: chartPath };
}

export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((cell) => String(cell).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The budgets, each figure beside its limit from the same run: the table the README shows. */
export function verdictTable(verdicts: readonly Verdict[]): string {
  return table(
    ['Budget', 'Subject', 'Figure', 'Limit (same run)', ''],
    verdicts.map((v) => [v.budget, v.subject, v.actual, v.limit, v.pass ? '✓' : '✗ miss']),
  );
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value >= 100 ? 0 : 1) : '—');

function markdown(report: Report): string {
  const { machine, waits, hang, cost, floorCost, scale, verdicts } = report;
  const missed = verdicts.filter((v) => !v.pass);
  const out: string[] = [];
  out.push('# Bench: the shopper’s waits, the server’s cost, the pages, the database’s growth', '');
  out.push(
    `\`${report.command}\` · ${machine.date} · ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB · Node ${machine.node} · ${machine.chromium} · Next.js ${machine.next} · Lighthouse ${machine.lighthouse} · commit ${machine.commit} · load average ${machine.loadAverageBefore.map((n) => n.toFixed(2)).join(' ')} before, ${machine.loadAverageAfter.map((n) => n.toFixed(2)).join(' ')} after · ${report.seconds.toFixed(0)} s in all`,
    '',
  );
  out.push(
    missed.length === 0
      ? `**Every budget met** (${verdicts.length} checks).`
      : `**${missed.length} of ${verdicts.length} budget checks missed.**`,
    '',
  );
  out.push('## Budgets', '', verdictTable(verdicts), '');
  out.push('![p50 and p95 of each payment path beside its bare round trips, and the figures at the big database](chart.svg)', '');

  out.push(`## The shopper’s waits (Chromium as a Pixel 7, the bank at ${BANK_LATENCY.ms} ± ${BANK_LATENCY.jitterMs} ms a call)`, '');
  const sampleRows = [
    waits.tapPay,
    waits.confirmOneStage,
    waits.confirmTwoStage,
    waits.confirmFromAppOneStage,
    waits.confirmFromAppTwoStage,
    waits.bareRegister,
    waits.bareGatewayPage,
    waits.bareStatus,
    waits.bareOrderPage,
  ].map((s) => [s.name, s.ms.length, ms(s.p50), ms(s.p95), ms(Math.min(...s.ms)), ms(Math.max(...s.ms))]);
  out.push(table(['Wait', 'Runs', 'p50 ms', 'p95 ms', 'min', 'max'], sampleRows), '');
  out.push(
    `A hanging bank (every status read unanswered, measured last): the return route ${hang.answeredMs === undefined ? `gave no answer within ${hang.capMs} ms` : `answered ${hang.status} after ${ms(hang.answeredMs)} ms`}.`,
    '',
  );

  out.push(
    `## Server cost (${LOAD.connections} connections, ${LOAD.durationSeconds} s a run after ${LOAD.warmUpSeconds} s of warm-up; the bank in its own process)`,
    '',
  );
  out.push(
    table(
      ['Run', 'Requests', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/req (that process)', 'Errors', 'Checked'],
      [
        ...cost.rows.map((row) => [
          row.name,
          row.requests,
          row.requestsPerSecond.toFixed(1),
          ms(row.latencyMs.p50),
          ms(row.latencyMs.p99),
          `${row.serverCpuMsPerRequest.toFixed(2)} shop${row.driver === 'gateway client' ? `; ${row.clientCpuMsPerRequest.toFixed(2)} client` : ''}`,
          row.errors,
          [...row.verified, ...row.problems, ...row.notes].join('; '),
        ]),
        ...[floorCost.pay, floorCost.action, floorCost.writingPay, floorCost.route, floorCost.page].map((row) => [
          row.name,
          row.requests,
          row.requestsPerSecond.toFixed(1),
          ms(row.latencyMs.p50),
          ms(row.latencyMs.p99),
          `${row.serverCpuMsPerRequest.toFixed(2)} empty app`,
          row.errors,
          row.notes.join('; '),
        ]),
      ],
    ),
    '',
  );
  out.push(
    `Gateway calls per request the shop made: ${cost.paths.map((p) => `${p.path} ${JSON.stringify(Object.fromEntries(Object.entries(p.callsPerRequest).map(([k, v]) => [k, Number(v.toFixed(2))])))}`).join('; ')}; the empty app's return made ${floorCost.routeCalls.join(', ')}.`,
    '',
  );
  out.push(...cpuRoundsSection(report.cpuRounds));
  out.push(actionNote(floorCost), '');
  const checkout = cost.paths.find((p) => p.path === 'checkout');
  const writes = report.cpuRounds.find((rounds) => rounds.path === 'checkout-writes');
  if (checkout) out.push(writingNote(floorCost, checkout.shopCpuMs, writes && summarizeRounds(writes.rounds)), '');
  out.push(
    `Rendering alone, no bank call: the shop's order page ${cost.pageOnlyCpuMs.toFixed(2)} ms of CPU a request, the empty app's page ${floorCost.page.serverCpuMsPerRequest.toFixed(2)} ms (${(cost.pageOnlyCpuMs / floorCost.page.serverCpuMsPerRequest).toFixed(2)}×): of the return's CPU over the empty app's, this much is the page itself (its layouts, header, texts and metadata), not the payment.`,
    '',
  );
  if (cost.preparation.length) out.push(`Prepared: ${cost.preparation.join('; ')}.`, '');

  out.push('## Pages (Lighthouse mobile, median; the empty App Router page measured the same way, same run)', '');
  const pageRow = (result: LighthouseResult, weight: PageWeight | undefined) => [
    result.page,
    weight ? kib(weight.jsGzipBytes) : '—',
    result.median.score.toFixed(2),
    Math.round(result.median.tbtMs),
    Math.round(result.median.lcpMs),
    formatCls(result.median.cls),
    result.runs.map((run) => `${run.score.toFixed(2)}/${Math.round(run.tbtMs)}`).join(' · '),
    result.runs.map((run) => Math.round(run.benchmarkIndex)).join(' · '),
  ];
  out.push(
    table(
      ['Page', 'First-load JS KiB gz', 'Score', 'TBT ms', 'LCP ms', 'CLS', 'Runs (score/TBT)', 'Benchmark index'],
      [
        pageRow(report.lighthouseEmpty, report.weights[0]),
        ...report.lighthouse.map((result) =>
          pageRow(
            result,
            report.weights.find((w) => w.page === result.page),
          ),
        ),
      ],
    ),
    '',
  );

  if (scale) {
    out.push(
      `## Growth with the database (PostgreSQL, ${scale.orders.toLocaleString('en')} orders generated in ${scale.generationSeconds.toFixed(0)} s)`,
      '',
    );
    out.push(
      table(
        ['Figure', 'p50 ms', 'p95 ms', 'Runs'],
        [
          ...scale.list.map((t) => [t.name, ms(t.p50), ms(t.p95), t.runs]),
          [scale.summary.name, ms(scale.summary.p50), ms(scale.summary.p95), scale.summary.runs],
          [
            `${scale.tick.name} (${scale.tick.examined} attempts synced over the timed ticks)`,
            ms(scale.tick.p50),
            ms(scale.tick.p95),
            scale.tick.runs,
          ],
          [
            `return route at ${scale.returnSmall.orders.toLocaleString('en')} orders`,
            ms(scale.returnSmall.p50),
            ms(scale.returnSmall.p95),
            scale.returnSmall.runs,
          ],
          [
            `return route at ${scale.returnBig.orders.toLocaleString('en')} orders`,
            ms(scale.returnBig.p50),
            ms(scale.returnBig.p95),
            scale.returnBig.runs,
          ],
        ],
      ),
      '',
    );
    out.push(
      `Database bytes per order (orders, attempts, timeline events and gateway-call log, indexes included): ${scale.bytesPerOrder.toFixed(0)} B.`,
      '',
    );
  }
  out.push('## Setup and notes', '');
  out.push(
    `- The shop runs with ${Object.entries(SERVER_SETTINGS)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}; peak RSS of the shop's process ${mb(report.serverPeakRssBytes)} MB (budget ${BUDGETS.peakRssMB} MB).`,
  );
  for (const note of report.notes) out.push(`- ${note}`);
  out.push('');
  return out.join('\n');
}

export function chart(report: Report): string {
  const { waits, hang, scale } = report;
  const waitLimit = (parts: number[]) => parts.reduce((a, b) => a + b, 0) + BUDGETS.waitAllowanceMs;
  const panels: ChartPanel[] = [
    {
      title: `The shopper's waits in Chromium (Pixel 7), the bank at ${BANK_LATENCY.ms} ms a call`,
      unit: 'ms',
      rows: [
        {
          label: 'Tap “Pay” → gateway page painted',
          p50: waits.tapPay.p50,
          p95: waits.tapPay.p95,
          limit: waitLimit([waits.bareRegister.p50, waits.bareGatewayPage.p50]),
        },
        {
          label: 'Mir Pay confirms → answer (one-stage)',
          p50: waits.confirmOneStage.p50,
          p95: waits.confirmOneStage.p95,
          limit: waitLimit([waits.bareStatus.p50]),
        },
        {
          label: 'Mir Pay confirms → answer (two-stage)',
          p50: waits.confirmTwoStage.p50,
          p95: waits.confirmTwoStage.p95,
          limit: waitLimit([waits.bareStatus.p50]),
        },
        { label: 'bare register.do', p50: waits.bareRegister.p50, p95: waits.bareRegister.p95 },
        { label: 'bare gateway page load', p50: waits.bareGatewayPage.p50, p95: waits.bareGatewayPage.p95 },
        { label: 'bare getOrderStatusExtended.do', p50: waits.bareStatus.p50, p95: waits.bareStatus.p95 },
        { label: 'Return while the bank hangs', p50: hang.answeredMs ?? hang.capMs, limit: BUDGETS.hangAnswerMs },
      ],
    },
  ];
  if (scale) {
    const worstList = scale.list.reduce((worst, t) => (t.p95 > worst.p95 ? t : worst));
    panels.push({
      title: `At ${scale.orders.toLocaleString('en')} orders (PostgreSQL)`,
      unit: 'ms',
      rows: [
        { label: `slowest ${worstList.name}`, p50: worstList.p50, p95: worstList.p95, limit: BUDGETS.listP95Ms, on: 'p95' },
        { label: 'console summary', p50: scale.summary.p50, p95: scale.summary.p95, limit: BUDGETS.summaryP95Ms, on: 'p95' },
        {
          label: `reconciler tick, ${SCALE_OPEN_ATTEMPTS.toLocaleString('en')} open`,
          p50: scale.tick.p50,
          p95: scale.tick.p95,
          limit: BUDGETS.tickP95Ms,
          on: 'p95',
        },
        {
          label: `return route at ${scale.returnSmall.orders.toLocaleString('en')} orders`,
          p50: scale.returnSmall.p50,
          p95: scale.returnSmall.p95,
        },
        {
          label: `return route at ${scale.orders.toLocaleString('en')} orders`,
          p50: scale.returnBig.p50,
          p95: scale.returnBig.p95,
          limit: scale.returnSmall.p50 * (1 + BUDGETS.returnGrowth),
        },
      ],
    });
  }
  return chartSvg(`npm run bench, ${report.machine.date.slice(0, 16).replace('T', ' ')} UTC`, panels);
}

/** How a set of rounds is named in the report. */
export const ROUNDS_LABEL: Record<CpuRounds['path'], string> = {
  checkout: 'checkout',
  'checkout-writes': "checkout beside the empty app's route making the checkout's writes (not budgeted)",
  return: 'return',
};

/** The rounds the CPU budget is read from, each with its ratio, and their median. */
export function cpuRoundsSection(all: readonly CpuRounds[]): string[] {
  const out = [
    `### CPU per request in alternating rounds (the budgeted figures, checkout and return: median of ${CPU_ROUNDS.rounds} rounds, ABBA order, ${CPU_ROUNDS.secondsPerRound} s a side)`,
    '',
  ];
  const rows = all.flatMap((rounds) => {
    const summary = summarizeRounds(rounds.rounds);
    return [
      ...rounds.rounds.map((round, i) => [
        ROUNDS_LABEL[rounds.path],
        `${i + 1} (${round.shopFirst ? 'shop' : 'empty app'} first)`,
        `${round.shopCpuMs.toFixed(2)} (${round.shopRequests})`,
        `${round.floorCpuMs.toFixed(2)} (${round.floorRequests})`,
        `${(round.shopCpuMs / round.floorCpuMs).toFixed(2)}×`,
        counts(round) ? 'yes' : `no (${round.errors ? `${round.errors} errors` : `under ${CPU_ROUNDS.minRequests} requests`})`,
      ]),
      [
        ROUNDS_LABEL[rounds.path],
        `**median of ${summary.counted} counted**`,
        summary.shopCpuMs.toFixed(2),
        summary.floorCpuMs.toFixed(2),
        `**${summary.ratio.toFixed(2)}×**`,
        rounds.notes.join('; '),
      ],
    ];
  });
  out.push(table(['Path', 'Round', 'Shop CPU ms/req (requests)', 'Empty app CPU ms/req (requests)', 'Ratio', 'Counted'], rows), '');
  return out;
}

/**
 * The checkout beside the empty app's "Pay" route that also makes the checkout's writes: what is
 * left is the shop's own checks and bookkeeping, not the framework's or the database's. `rounds`:
 * the two in alternating rounds, when they were measured so.
 */
export function writingNote(
  floorCost: Pick<FloorCost, 'pay' | 'writingPay'>,
  shopCheckoutCpuMs: number,
  rounds?: CpuRoundsSummary,
): string {
  const bare = floorCost.pay.serverCpuMsPerRequest;
  const writing = floorCost.writingPay.serverCpuMsPerRequest;
  const alternating =
    rounds && rounds.counted > 0
      ? ` In ${rounds.counted} alternating rounds the shop's checkout is ${rounds.ratio.toFixed(2)}× that route (median; rounds ${rounds.lowRatio.toFixed(2)}–${rounds.highRatio.toFixed(2)}×, ${rounds.shopCpuMs.toFixed(2)} ms against ${rounds.floorCpuMs.toFixed(2)}).`
      : '';
  return `The checkout's writes: the empty app's "Pay" route also writing the order and its attempt before register.do, the call's record and the attempt's move after it with the shop's own storage code (lib/payments/orders.ts, lib/db, SQLite), ${writing.toFixed(2)} ms of CPU a request, ${(writing - bare).toFixed(2)} ms over the route alone (not budgeted). The shop's checkout, ${shopCheckoutCpuMs.toFixed(2)} ms, is ${(shopCheckoutCpuMs / writing).toFixed(2)}× that in their single runs.${alternating} The rest of its CPU is its own checks and bookkeeping (the Origin and body checks, the form's, the rate limits, the settings, the cookies, a log line, metrics).`;
}

/**
 * What a server action costs over a route handler for the same "Pay", in the empty app: what the
 * shop's checkout saves by being a route (it was an action, behind the proxy, at first).
 */
export function actionNote(floorCost: Pick<FloorCost, 'pay' | 'action'>): string {
  const route = floorCost.pay.serverCpuMsPerRequest;
  const action = floorCost.action.serverCpuMsPerRequest;
  return `"Pay" as a server action: the empty app's same "Pay" as a no-JavaScript server action through useActionState ${action.toFixed(2)} ms of CPU a request, ${(action - route).toFixed(2)} ms (${((action / route - 1) * 100).toFixed(0)} %) over the route handler (not budgeted): Next's charge for running an action, which the shop's checkout does not pay (its form posts to a route of its own, app/checkout/pay/route.ts).`;
}
