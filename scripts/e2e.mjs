#!/usr/bin/env node
// The e2e step of `npm test`: find a Chromium (CHROMIUM_PATH, else /usr/bin/chromium, else
// Playwright's own browser if installed; on Debian as root, install Debian's chromium), build the
// app, then run Playwright: tests/playwright.config.ts as two shards at once, then the scale-out
// config. Playwright never downloads a browser here (no internet).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { testPostgres, urlWithSchema } from './test-postgres.mjs';

const require = createRequire(import.meta.url);

function playwrightsOwnChromium() {
  try {
    const { chromium } = require('@playwright/test');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function findChromium() {
  if (process.env.CHROMIUM_PATH) {
    if (existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
    console.error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist.`);
    process.exit(1);
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return playwrightsOwnChromium();
}

function isDebian() {
  return (
    existsSync('/etc/debian_version') ||
    /ID(_LIKE)?=.*debian/.test(existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '')
  );
}

let chromium = findChromium();
if (!chromium && isDebian() && process.getuid?.() === 0) {
  console.log('No Chromium found: installing Debian’s chromium package…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  if (install().status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    install();
  }
  chromium = findChromium();
}
if (!chromium) {
  console.error('No Chromium found: install one (Debian: `sudo apt-get install chromium`) or set CHROMIUM_PATH to its executable.');
  process.exit(1);
}

const run = (command, args, env = {}) =>
  execFileSync(command, args, { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env } });

// The main config's tests in two shards at once, each on its own ports (E2E_PORT and E2E_PORT + 100;
// each shard's servers and its specs' own take nine ports from there) and so its own servers and
// files. A test spends most of its time waiting (on a server, the browser, a reconciler tick), so
// two runs side by side take little more than the longer one alone. Both always run to the end, so
// that one shard's failure does not hide the other's; each line of a shard's output is prefixed
// with "[shard n]", as the two interleave.
const BASE_PORT = Number(process.env.E2E_PORT ?? 3100);
const SHARDS = 2;

function runShard(index, args, env) {
  const label = `[shard ${index}/${SHARDS}]`;
  const started = Date.now();
  const child = spawn('npx', [...args, `--shard=${index}/${SHARDS}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env, E2E_PORT: String(BASE_PORT + 100 * (index - 1)) },
  });
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    let partial = '';
    from.setEncoding('utf8');
    from.on('data', (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      // Blank lines (the reporter's spacing) would only interleave, unlabelled, with the other shard's.
      for (const line of lines) if (line.trim()) to.write(`${label} ${line}\n`);
    });
    from.on('end', () => partial.trim() && to.write(`${label} ${partial}\n`));
  }
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ label, code: 1, error }));
    child.on('close', (code, signal) => resolve({ label, code: code ?? 1, signal, minutes: (Date.now() - started) / 60_000 }));
  });
}

try {
  // Built with the e2e servers' secrets in the environment, so that tests/e2e/security.spec.ts
  // can prove none of them is inlined into the browser's bundles.
  const { _comment, ...e2eEnv } = JSON.parse(readFileSync(new URL('../tests/e2e-env.json', import.meta.url), 'utf8'));
  run('npx', ['next', 'build'], e2eEnv);
  // The deployable directory tests/e2e/standalone-server.spec.ts starts (docs/deployment.md).
  run('node', ['scripts/standalone.mjs']);
  // A filter argument (e.g. `scale-out`) may match tests of only one of the two configs.
  const filtered = process.argv.length > 2 ? ['--pass-with-no-tests'] : [];
  // A filtered run leaves out the log scan (tests/e2e/zz-log-hygiene.spec.ts): a teardown project
  // runs whatever the filter says, and after a few tests it would find too few journeys in the logs.
  const noLogScan = filtered.length ? ['--no-deps'] : [];
  const args = ['playwright', 'test', '--config', 'tests/playwright.config.ts', ...filtered, ...noLogScan, ...process.argv.slice(2)];
  const shards = await Promise.all(Array.from({ length: SHARDS }, (_, i) => runShard(i + 1, args, { CHROMIUM_PATH: chromium })));
  for (const { label, code, signal, error, minutes } of shards)
    console.log(
      `${label} ${code === 0 ? 'passed' : `failed (${error?.message ?? signal ?? `exit code ${code}`})`}${minutes ? ` in ${minutes.toFixed(1)} min` : ''}`,
    );
  const failed = shards.find(({ code }) => code !== 0);
  if (failed) process.exit(failed.code);
  // Two instances on one PostgreSQL (tests/playwright.scale-out.config.ts), in a fresh schema.
  const postgres = await testPostgres('the two-instance PostgreSQL e2e tests', 'e2e_scale_');
  if (postgres) {
    const schema = `e2e_scale_${Date.now()}`;
    await postgres.query(`create schema ${schema}`);
    await postgres.end();
    const args = ['playwright', 'test', '--config', 'tests/playwright.scale-out.config.ts', ...filtered, ...process.argv.slice(2)];
    run('npx', args, { CHROMIUM_PATH: chromium, SCALE_DATABASE_URL: urlWithSchema(schema) });
  }
} catch (error) {
  process.exit(typeof error.status === 'number' ? error.status : 1);
}
