// Builds the shop as production does (`next build`) and, for the framework's floor, an empty App
// Router app with the same Next.js and React.
//
// Why a throwaway app rather than a hidden route in the shop: any route inside app/ sits under the
// shop's root layout, so its "empty" page would already carry the layout's cost (header, cart
// badge, language switch, globals.css) and hide exactly what the budget is about. A separate app
// with a bare <html><body> layout is the framework alone: what no shop page can go below. It is
// built in the same run from the same node_modules, so the floor moves with a Next.js upgrade.
// It lives in bench-results/ (git-ignored, excluded from tsconfig): Turbopack compiles nothing
// outside the workspace root, so a temp dir with a symlinked node_modules does not build.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { APP_ENV_VARIABLES, OUT_DIR, ROOT } from './config.mjs';
import { BANK_AUTH } from './bank.mjs';
import { registerRequest } from './gateway-baseline.mjs';

export const FLOOR_DIR = path.join(OUT_DIR, 'floor-app');
/** The page of the floor's "Pay" form, which posts to /pay: see writeFloorPaths. */
export const FLOOR_PAY_FORM = '/pay-form';
/** The same "Pay" as a server action (not budgeted). */
export const FLOOR_ACTION = '/act';
/** The form of a "Pay" that also writes what the shop's checkout writes, with the shop's own code (not budgeted). */
export const FLOOR_WRITING_PAY_FORM = '/pay-writing-form';

export type RouteStats = { route: string; firstLoadUncompressedJsBytes: number; firstLoadChunkPaths: string[] };

export type BuildInfo = {
  dir: string;
  seconds: number;
  /** next build's route table: route → symbol (○ static, ● SSG, ƒ dynamic). */
  routeKinds: Record<string, string>;
  routeStats: RouteStats[];
  /** Routes Next prerendered (static or ISR), from .next/prerender-manifest.json. */
  prerendered: string[];
  prerenderedDynamic: string[];
};

export function buildShop(): BuildInfo {
  // The build sees no gateway settings of the developer's shell: nothing of them may be inlined.
  const env = Object.fromEntries(APP_ENV_VARIABLES.map((key) => [key, '']));
  return nextBuild(ROOT, path.join(OUT_DIR, 'build-shop.log'), env);
}

export function buildFloor(): BuildInfo {
  rmSync(FLOOR_DIR, { recursive: true, force: true });
  mkdirSync(path.join(FLOOR_DIR, 'app'), { recursive: true });
  // Plain JavaScript, so Next neither adds a tsconfig nor type-checks anything here.
  writeFileSync(
    path.join(FLOOR_DIR, 'app/layout.js'),
    `export default function RootLayout({ children }) {\n  return (\n    <html lang="ru">\n      <body>{children}</body>\n    </html>\n  );\n}\n`,
  );
  // One word of text: Lighthouse needs something to paint (an empty <main/> ends in NO_FCP).
  writeFileSync(path.join(FLOOR_DIR, 'app/page.js'), `export default function Page() {\n  return <main><h1>Floor</h1></main>;\n}\n`);
  writeFloorPaths();
  const built = nextBuild(FLOOR_DIR, path.join(OUT_DIR, 'build-floor.log'), {});
  const foreign = instrumentationSources(FLOOR_DIR).filter(
    (source) => source !== path.relative(ROOT, path.join(FLOOR_DIR, 'instrumentation.js')),
  );
  if (foreign.length > 0) throw new Error(`the empty app's build runs code of the shop at start: ${foreign.join(', ')}`);
  return built;
}

/**
 * The repository's files (not node_modules) a build's instrumentation hook is made of, relative to
 * the repository, from the source maps of the chunks its entry loads.
 */
export function instrumentationSources(dir: string): string[] {
  const server = path.join(dir, '.next/server');
  const entry = path.join(server, 'instrumentation.js');
  if (!existsSync(entry)) return [];
  const chunks = [...readFileSync(entry, 'utf8').matchAll(/R\.c\("server\/(chunks\/[^"]+)"\)/g)].map((match) => match[1]!);
  const sources = new Set<string>();
  for (const chunk of chunks) {
    const map = path.join(server, `${chunk}.map`);
    if (!existsSync(map)) continue;
    const payload = JSON.parse(readFileSync(map, 'utf8')) as { sources?: string[]; sections?: { map: { sources?: string[] } }[] };
    const listed = payload.sources?.length ? payload.sources : (payload.sections ?? []).flatMap((section) => section.map.sources ?? []);
    for (const source of listed) {
      if (source.includes('node_modules/') || source.startsWith('turbopack:')) continue;
      sources.add(path.relative(ROOT, path.resolve(path.dirname(map), source)));
    }
  }
  return [...sources].sort();
}

function nextBuild(dir: string, logPath: string, env: Record<string, string>): BuildInfo {
  const started = performance.now();
  let output: string;
  try {
    output = execFileSync(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
      cwd: dir,
      env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    writeFileSync(logPath, `${failed.stdout ?? ''}\n${failed.stderr ?? ''}`);
    throw new Error(`next build failed in ${dir}; see ${logPath}`);
  }
  writeFileSync(logPath, output);
  return buildInfo(dir, (performance.now() - started) / 1000, output);
}

/** The builds of the last run, as they are (`--reuse-build`: for working on the bench itself). */
export function lastBuilds(): { shop: BuildInfo; floor: BuildInfo } {
  const read = (dir: string, log: string) => buildInfo(dir, 0, readFileSync(path.join(OUT_DIR, log), 'utf8'));
  return { shop: read(ROOT, 'build-shop.log'), floor: read(FLOOR_DIR, 'build-floor.log') };
}

function buildInfo(dir: string, seconds: number, output: string): BuildInfo {
  const routeKinds = parseRouteTable(output);
  const routeStats = JSON.parse(readFileSync(path.join(dir, '.next/diagnostics/route-bundle-stats.json'), 'utf8')) as RouteStats[];
  const manifest = JSON.parse(readFileSync(path.join(dir, '.next/prerender-manifest.json'), 'utf8')) as {
    routes: Record<string, unknown>;
    dynamicRoutes: Record<string, unknown>;
  };
  return {
    dir,
    seconds,
    routeKinds,
    routeStats,
    prerendered: Object.keys(manifest.routes),
    prerenderedDynamic: Object.keys(manifest.dynamicRoutes),
  };
}

// "├ ƒ /[lang]/cart" is a route and its kind. A route with generateStaticParams is listed without a
// symbol, its prerendered paths beneath it with theirs ("├   /[lang]" then "│ ├ ● /ru"): it takes
// its paths' kind, and each path is listed too. "│ └ ● [+15 more paths]" names no path.
const ROUTE_LINE = /^[┌├└]\s+(?:([○●ƒ◐])\s+)?(\/\S*)/;
const PATH_LINE = /^│\s+[┌├└]\s+([○●ƒ◐])\s+(\/\S*)/;

/** next build's route table: route or prerendered path → symbol (○ static, ● SSG, ƒ dynamic). */
export function parseRouteTable(output: string): Record<string, string> {
  const kinds: Record<string, string> = {};
  let route: string | undefined;
  for (const line of output.split('\n')) {
    const top = ROUTE_LINE.exec(line);
    if (top) {
      route = top[2]!;
      if (top[1]) kinds[route] = top[1];
      continue;
    }
    const path = PATH_LINE.exec(line);
    if (path && route) {
      kinds[path[2]!] = path[1]!;
      kinds[route] ??= path[1]!;
    }
  }
  return kinds;
}

export type JsWeight = { route: string; chunks: number; rawBytes: number; gzipBytes: number };

/** First-load JS of a route: the chunks Next lists for it, each gzipped as `next start` sends it (zlib default level). */
export function firstLoadJs(build: BuildInfo, route: string): JsWeight {
  const stats = build.routeStats.find((entry) => entry.route === route);
  if (!stats) throw new Error(`route-bundle-stats.json of ${build.dir} has no route ${route}`);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const chunk of stats.firstLoadChunkPaths) {
    const file = path.join(build.dir, chunk);
    if (!existsSync(file)) throw new Error(`missing chunk ${file}`);
    const bytes = readFileSync(file);
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes).length;
  }
  return { route, chunks: stats.firstLoadChunkPaths.length, rawBytes, gzipBytes };
}

/** The floor page's HTML as prerendered by its build (a static page: what `next start` serves as is). */
export function floorHtml(): { rawBytes: number; gzipBytes: number } {
  const html = readFileSync(path.join(FLOOR_DIR, '.next/server/app/index.html'));
  return { rawBytes: html.length, gzipBytes: gzipSync(html).length };
}

/**
 * The framework's floor for the two payment paths (scripts/bench/floor-cost.mts): each path's shape
 * making its bare gateway calls and nothing else. "Pay" is a plain form post to a route handler, as
 * the shop's is (app/checkout/pay/route.ts), the cheapest way Next takes a post: the route reads the
 * form, makes one register.do (the request the bare runs send: the shop's amount, receipt lines and
 * returnUrl) and redirects to its formUrl with 303. The return is a page rendered per request (the
 * shop's return is its order page) that makes the calls named in its query (`calls=status,deposit`:
 * those the shop's return made) for the hold named there, and shows one word. The calls go through
 * the shop's own gateway client (lib/gateway/client.ts, which is why the floor app's Turbopack root
 * is the repository), to the gateway at FLOOR_GATEWAY_URL: the bench's bank. No shop page, proxy,
 * database or cookie is involved.
 *
 * Beside them, not budgeted: the same "Pay" as a server action bound through useActionState, at
 * /act, the way the shop's checkout was first built: what Next charges for an action over a route.
 * And at /pay-writing, "Pay" that also writes what the shop's checkout must write, with the shop's
 * own storage code on SQLite at FLOOR_DATABASE_URL: the order and its first attempt in one
 * transaction before register.do (lib/payments/orders.ts), the call's record
 * (lib/db/gateway-calls.ts), the attempt's move with its timeline event after. What is left of the
 * checkout's CPU over that is the shop's own checks and bookkeeping around the payment.
 */
function writeFloorPaths(): void {
  const client = path.relative(path.join(FLOOR_DIR, 'app'), path.join(ROOT, 'lib/gateway/client'));
  for (const dir of ['act', 'back', 'pay', 'pay-writing']) mkdirSync(path.join(FLOOR_DIR, 'app', dir), { recursive: true });
  writeFileSync(path.join(FLOOR_DIR, 'next.config.js'), `module.exports = { turbopack: { root: ${JSON.stringify(ROOT)} } };\n`);
  writeFileSync(
    path.join(FLOOR_DIR, 'app/gateway.js'),
    `import { createGatewayClient } from ${JSON.stringify(client)};\n\n` +
      `// What every "Pay" of the floor registers: the request the bare runs send.\n` +
      `export const shape = ${JSON.stringify(registerRequest('http://localhost'))};\n\n` +
      `export function newGateway(onCall) {\n  return createGatewayClient({ baseUrl: process.env.FLOOR_GATEWAY_URL, auth: ${JSON.stringify(BANK_AUTH)}, onCall });\n}\n\n` +
      `let client;\n\n` +
      `// Made on first use: \`next build\` loads the routes without FLOOR_GATEWAY_URL.\n` +
      `export function gateway() {\n  client ??= newGateway();\n  return client;\n}\n\n` +
      `const run = Date.now().toString(36);\nlet sequence = 0;\n\n` +
      `export function register() {\n` +
      `  const orderNumber = 'F' + run + '-' + ++sequence;\n` +
      `  return gateway().register({ ...shape, orderNumber, description: 'Заказ ' + orderNumber });\n}\n\n` +
      `export function seeOther(location) {\n  return new Response(null, { status: 303, headers: { Location: location } });\n}\n`,
  );
  writeFileSync(
    path.join(FLOOR_DIR, 'app/pay/route.js'),
    `import { register, seeOther } from '../gateway';\n\n` +
      `export async function POST(request) {\n  await request.formData();\n  return seeOther((await register()).formUrl);\n}\n`,
  );
  writeFormPage(FLOOR_PAY_FORM, '/pay');
  writeFileSync(
    path.join(FLOOR_DIR, 'app/act/actions.js'),
    `'use server';\nimport { redirect } from 'next/navigation';\nimport { register } from '../gateway';\n\n` +
      `export async function pay() {\n  redirect((await register()).formUrl);\n}\n`,
  );
  writeFileSync(path.join(FLOOR_DIR, 'app/act/form.js'), ACTION_FORM);
  writeFileSync(path.join(FLOOR_DIR, 'app/act/page.js'), formPage(`import { PayForm } from './form';`, '<PayForm />'));
  writeFloorWritingPay();
  // An instrumentation of its own, which does nothing: without one, Turbopack bundles the one at its
  // root, the shop's instrumentation.ts, into the empty app (its request hooks and its start-up
  // polling of /api/health), and the floor would pay for part of the shop's work.
  writeFileSync(path.join(FLOOR_DIR, 'instrumentation.js'), FLOOR_INSTRUMENTATION);
  writeFileSync(
    path.join(FLOOR_DIR, 'app/back/page.js'),
    `import { gateway } from '../gateway';\n\nexport const dynamic = 'force-dynamic';\n\n` +
      `export default async function Page({ searchParams }) {\n` +
      `  const query = await searchParams;\n` +
      `  for (const call of (query.calls ?? '').split(',').filter(Boolean)) {\n` +
      `    if (call === 'deposit') await gateway().deposit({ orderId: query.order, amount: Number(query.amount) });\n` +
      `    else await gateway().getOrderStatusExtended({ orderId: query.order });\n  }\n` +
      `  return <main>Paid</main>;\n}\n`,
  );
}

const FLOOR_INSTRUMENTATION = `export function register() {}\n`;

/** The no-JavaScript "Pay" form, bound through useActionState to the `pay` of its directory's actions.js. */
const ACTION_FORM = `'use client';\nimport { useActionState } from 'react';\nimport { pay } from './actions';\n\nexport function PayForm() {\n  const [, action] = useActionState(pay, {});\n  return (\n    <form action={action} data-testid="checkout-form">\n      <input type="hidden" name="checkoutKey" value="floor-key-0123456789" />\n      <button>Pay</button>\n    </form>\n  );\n}\n`;

/** A page rendered per request with nothing but `body` (after `imports`). */
function formPage(imports: string, body: string): string {
  return `${imports}\n\nexport const dynamic = 'force-dynamic';\n\nexport default function Page() {\n  return <main>${body}</main>;\n}\n`;
}

/** The page at `page` with a plain "Pay" form posting to the route `action`. */
function writeFormPage(page: string, action: string): void {
  mkdirSync(path.join(FLOOR_DIR, `app${page}`), { recursive: true });
  const form = `<form action="${action}" method="post" data-testid="checkout-form"><input type="hidden" name="checkoutKey" value="floor-key-0123456789" /><button>Pay</button></form>`;
  writeFileSync(path.join(FLOOR_DIR, `app${page}/page.js`), formPage('', form));
}

/** /pay-writing (see writeFloorPaths): the shop's storage code, on a database of the floor's own. */
function writeFloorWritingPay(): void {
  const lib = (module: string) => JSON.stringify(path.relative(path.join(FLOOR_DIR, 'app/pay-writing'), path.join(ROOT, 'lib', module)));
  writeFormPage(FLOOR_WRITING_PAY_FORM, '/pay-writing');
  writeFileSync(
    path.join(FLOOR_DIR, 'app/pay-writing/route.js'),
    `import { newGateway, seeOther, shape } from '../gateway';\n` +
      `import { openDatabase } from ${lib('db/database')};\n` +
      `import { insertGatewayCall } from ${lib('db/gateway-calls')};\n` +
      `import { insertOrderWithAttempt, moveAttempt, newOrderId, newOrderNumber } from ${lib('payments/orders')};\n\n` +
      `const items = JSON.stringify([{ slug: 'floor', name: 'Floor', price: shape.amount, quantity: 1, total: shape.amount }]);\n\n` +
      `// Opened (and migrated) once, by the first request; the ones beside it wait for the same promise.\n` +
      `let services;\n` +
      `function open() {\n` +
      `  services ??= openDatabase(process.env.FLOOR_DATABASE_URL).then((db) => ({ db, gateway: newGateway((record) => insertGatewayCall(db, record)) }));\n` +
      `  return services;\n}\n\n` +
      `export async function POST(request) {\n` +
      `  await request.formData();\n` +
      `  const { db, gateway } = await open();\n` +
      `  const now = Date.now();\n` +
      `  const order = { id: newOrderId(), number: newOrderNumber(now), flow: 'one-stage', amount: shape.amount, currency: '643', language: 'ru', items_json: items,\n` +
      `    customer_name: 'Floor', customer_phone: '+79990000000', customer_email: 'floor@example.com', created_at: now, checkout_key: newOrderId(),\n` +
      `    cart_spent_at: null, paid_at: null, latest_attempt_no: 1, latest_state: 'registering', delivery_json: '{"method":"pickup","price":0}' };\n` +
      `  const attempt = await insertOrderWithAttempt(db, order);\n` +
      `  const registered = await gateway.register({ ...shape, orderNumber: attempt.order_number, description: 'Заказ ' + order.number }, { orderId: order.id });\n` +
      `  await moveAttempt(db, attempt, 'awaiting', { gateway_order_id: registered.orderId, form_url: registered.formUrl }, { at: Date.now(), cause: 'checkout' });\n` +
      `  return seeOther(registered.formUrl);\n}\n`,
  );
}
