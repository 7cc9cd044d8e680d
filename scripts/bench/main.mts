// `npm run bench [-- --quick] [-- --scale-orders=N | --no-scale]`: builds the shop and an empty App
// Router app, starts the bank (the shop's sandbox with a bank's latency, in a process of its own),
// the shop paying through it, and measures, each beside its limit from the same run: the shopper's
// waits in Chromium, the shop's CPU per payment path beside the empty app's, the pages beside the
// empty page, and, on PostgreSQL, how cost grows to a million orders. Writes
// bench-results/report.md, report.json and chart.svg; exits 1 if any budget is missed (listing
// which), 2 if the measurement itself failed. `--quick`: one Lighthouse run per page and 100 000
// orders (the waits keep their 20 runs: fewer would miss by rule). `--reuse-build`: the last run's
// builds, for work on the bench itself (the report then measures whatever those builds hold).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { BANK_LATENCY, freePort, startBank } from './bank.mjs';
import { shopEnvFor } from './bank.mjs';
import { buildFloor, buildShop, FLOOR_DIR, lastBuilds, type BuildInfo } from './build.mjs';
import { CPU_ROUNDS, LIGHTHOUSE_RUNS, LOAD, OUT_DIR, ROOT, SCALE_ORDERS, WAIT_RUNS } from './config.mjs';
import { measureFloorCost, routeCallsOf } from './floor-cost.mjs';
import { measureCpuRounds } from './cpu-rounds.mjs';
import { chromiumPath } from './chromium.mjs';
import { runLighthouse } from './lighthouse.mjs';
import { preparePages } from './pages.mjs';
import { measurePageWeights } from './page-weight.mjs';
import { writeReport, type Machine } from './report.mjs';
import { measureScale, type Scale } from './scale.mjs';
import { scaleDatabase } from './scale-database.mjs';
import { QUERY_RUNS } from './scale-queries.mjs';
import { measureServerCost } from './server-cost.mjs';
import { freshDatabase, startServer } from './server.mjs';
import { allVerdicts } from './verdicts.mjs';
import { hangingReturn, measureWaits } from './waits.mjs';

const started = performance.now();
const log = (line: string) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const scaleArg = args.find((arg) => arg.startsWith('--scale-orders='));
const scaleOrders = scaleArg ? Number(scaleArg.split('=')[1]) : quick ? 100_000 : SCALE_ORDERS;
const withScale = !args.includes('--no-scale');
const lighthouseRuns = quick ? 1 : LIGHTHOUSE_RUNS;

async function main(): Promise<number> {
  if (!Number.isInteger(scaleOrders) || scaleOrders < 10_000)
    throw new Error(`--scale-orders must be a whole number ≥ 10000, got ${scaleArg}`);
  mkdirSync(OUT_DIR, { recursive: true });
  const loadAverageBefore = loadavg();
  const chromium = chromiumPath();

  let shopBuild: BuildInfo;
  let floorBuild: BuildInfo;
  if (args.includes('--reuse-build')) {
    ({ shop: shopBuild, floor: floorBuild } = lastBuilds());
    log('Reusing the last run’s builds (--reuse-build)');
  } else {
    log('next build (shop)…');
    shopBuild = buildShop();
    log(`  built in ${shopBuild.seconds.toFixed(0)} s`);
    log('next build (empty App Router app)…');
    floorBuild = buildFloor();
    log(`  built in ${floorBuild.seconds.toFixed(0)} s`);
  }

  // The bank must know the shops' origins (their returnUrl) before they start.
  const [shopPort, scalePort] = [await freePort(), await freePort()];
  const origin = (port: number) => `http://127.0.0.1:${port}`;
  log(`The bank (the sandbox at ${BANK_LATENCY.ms} ± ${BANK_LATENCY.jitterMs} ms a call, its own process)…`);
  const bank = await startBank('bank', [origin(shopPort), origin(scalePort)]);
  log(`  ${bank.base} (pid ${bank.pid})`);
  const shop = await startServer('shop', { port: shopPort, env: shopEnvFor(bank) });
  log(`The shop: ${shop.base} (pid ${shop.pid}), log ${path.relative(ROOT, shop.logPath)}`);
  const empty = await startServer('empty-app', {
    cwd: FLOOR_DIR,
    readyPath: '/',
    env: { FLOOR_GATEWAY_URL: bank.restUrl, FLOOR_DATABASE_URL: freshDatabase('empty-app-writes') },
  });
  try {
    log('Preparing the pages’ state over HTTP…');
    const retries: string[] = [];
    const pages = await preparePages(shop.base, bank.base, retries);
    const weights = await measurePageWeights(shopBuild, floorBuild, pages);
    for (const w of weights) log(`  ${w.page}: JS ${(w.jsGzipBytes / 1024).toFixed(1)} KiB gz`);

    log(`Lighthouse, ${lighthouseRuns} round(s) of one run per page, the empty App Router page first in each…`);
    const emptyPage = { name: 'Empty App Router page', path: '/', url: `${empty.base}/`, headers: {}, shopper: false, state: 'reference' };
    const [lighthouseEmpty, ...lighthouse] = await runLighthouse([emptyPage, ...pages], lighthouseRuns, log);

    log(`The shopper’s waits in Chromium (Pixel 7), ${WAIT_RUNS} journeys per flow…`);
    const waits = await measureWaits(shop.base, bank, WAIT_RUNS, log);

    log('Server cost…');
    const cost = await measureServerCost(shop, bank, log);
    if (!shop.alive()) throw new Error('the shop died during the server-cost runs');
    log('The same gateway calls from the empty App Router app…');
    const routeCalls = routeCallsOf(cost.paths.find((p) => p.path === 'return'));
    const floorCost = await measureFloorCost(empty, bank, routeCalls, log);
    log(`CPU per request, shop and empty app in ${CPU_ROUNDS.rounds} alternating rounds of ${CPU_ROUNDS.secondsPerRound} s each…`);
    const cpuRounds = await measureCpuRounds(shop, empty, bank, routeCalls, log);
    if (!shop.alive()) throw new Error('the shop died during the CPU rounds');
    const serverPeakRssBytes = shop.peakRss();
    log('A bank that hangs: the return route…');
    const hang = await hangingReturn(shop.base, bank);
    log(
      `  ${hang.answeredMs === undefined ? `no answer within ${hang.capMs} ms` : `${hang.status} after ${hang.answeredMs.toFixed(0)} ms`}`,
    );
    await shop.stop();
    await empty.stop();

    let scale: Scale | undefined;
    let scaleError: string | undefined;
    if (withScale) {
      log(`PostgreSQL: ${scaleOrders.toLocaleString('en')} orders generated in bulk…`);
      // A failure here must not lose the rest of the run: it is reported, and fails the run.
      scale = await measureScale({
        databaseUrl: await scaleDatabase(process.env.BENCH_DATABASE_URL || undefined, log),
        orders: scaleOrders,
        bank,
        port: scalePort,
        log,
      }).catch((error: unknown) => {
        scaleError = error instanceof Error ? error.message : String(error);
        log(`  could not measure: ${scaleError}`);
        return undefined;
      });
    }
    await bank.stop();

    const verdicts = allVerdicts({
      scaleError,
      pages,
      weights,
      lighthouse: lighthouse,
      lighthouseEmpty: lighthouseEmpty!,
      shop: shopBuild,
      waits,
      hang,
      cost,
      floorCost,
      cpuRounds,
      scale,
      serverPeakRssBytes,
    });
    const machine: Machine = {
      date: new Date().toISOString(),
      cores: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      chromium: versionOf(chromium),
      next: packageVersion('next'),
      lighthouse: packageVersion('lighthouse'),
      commit: commit(),
      loadAverageBefore,
      loadAverageAfter: loadavg(),
    };
    const notes = [
      ...(retries.length
        ? [`Setting up the pages' state, ${retries.length} steps were tried again after: ${[...new Set(retries)].join(', ')}.`]
        : []),
      `The bank is the shop's own sandbox served by a second \`next start\` of the same build, its own process and SQLite database, every REST call delayed ${BANK_LATENCY.ms} ± ${BANK_LATENCY.jitterMs} ms (SANDBOX_LATENCY_MS, SANDBOX_LATENCY_JITTER_MS); the shop reaches it over loopback HTTP (GATEWAY_URL). The bare round trips are the shop's own gateway client (lib/gateway/client.ts) from the bench process to the same bank, in the same run.`,
      "Waits: a fresh Pixel 7 context per journey (no cache, the cart cookie set). Each starts when the browser sends the shop its request (the browser's own request start time, not when the test tool clicked: on a busy machine a scripted click takes 100–400 ms before anything is sent) and ends at the next page's first contentful paint (the page's own clock, the same machine). Tap \"Pay\": from the checkout's POST to the gateway page's paint. Mir Pay confirms: from the request to the shop's returnUrl (after the bank's own hops: its app's POST and its payment page's redirect, reported beside from the tap on the app's button) to the order page's paint showing a state other than \"being processed\" (or, if it painted \"being processed\", until its poll brings the answer). The bare gateway page load is navigation to first contentful paint of a freshly registered order's page in the same browser.",
      `Server cost: autocannon, ${LOAD.connections} connections for ${LOAD.durationSeconds} s per run, each after ${LOAD.warmUpSeconds} s of the same requests unmeasured (a freshly started server runs its code cold; shop and empty app alike are measured as they run once in service); CPU is that of the server process (user + system from /proc) per answered request. The empty App Router app's action and its page rendered per request make the same gateway calls with the same client to the same bank, measured after the shop's runs. The CPU budget is not read from these runs but from ${CPU_ROUNDS.rounds} rounds in which shop and empty app take turns, ${CPU_ROUNDS.secondsPerRound} s each (ABBA order, after ${CPU_ROUNDS.settleSeconds} s unmeasured each): its figure is the median of the rounds' ratios, so that the machine's drift over the minutes of the run falls on both sides of every ratio.`,
      "Lighthouse: its mobile preset (simulated mid-range Android, slow 4G, 4× CPU slowdown) against `next start` on loopback; the benchmark index is Lighthouse's measure of this machine at that moment. Only the ratios to the empty page of the same run are budgeted; absolute figures move with the machine and the Chromium version.",
      ...(scale
        ? [
            `Growth: orders generated in PostgreSQL (generate_series), a year of them, each with one attempt, two timeline events and two logged gateway calls; the console functions (lib/console/queries.ts) and the reconciler (lib/payments/reconciler.ts) called directly, ${QUERY_RUNS} timed calls each after one unmeasured; the return route timed through a shop server on that database paying through the bank.`,
          ]
        : ['Growth with the database not measured in this run (--no-scale).']),
    ];
    const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
    const written = writeReport({
      command,
      machine,
      seconds: (performance.now() - started) / 1000,
      builds: { shop: shopBuild, floor: floorBuild },
      weights,
      lighthouse,
      lighthouseEmpty: lighthouseEmpty!,
      waits,
      hang,
      cost,
      floorCost,
      cpuRounds,
      scale,
      serverPeakRssBytes,
      verdicts,
      notes,
    });
    log(`Report: ${path.relative(ROOT, written.markdown)}, ${path.relative(ROOT, written.json)}, ${path.relative(ROOT, written.chart)}`);
    const failed = verdicts.filter((v) => !v.pass);
    if (failed.length === 0) {
      log(`All ${verdicts.length} budget checks met.`);
      return 0;
    }
    console.log(`\n${failed.length} of ${verdicts.length} budget checks missed:`);
    for (const v of failed) console.log(`  ✗ ${v.budget} — ${v.subject}: ${v.actual} (limit ${v.limit})`);
    return 1;
  } finally {
    await shop.stop();
    await empty.stop();
    await bank.stop();
  }
}

function versionOf(binary: string): string {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`\nThe bench could not measure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
