#!/usr/bin/env node
// The e2e step of `npm test`: find a Chromium (CHROMIUM_PATH, else /usr/bin/chromium, else
// Playwright's own browser if installed; on Debian as root, install Debian's chromium), build the
// app, then run Playwright. Playwright never downloads a browser here (no internet).
import { execFileSync, spawnSync } from 'node:child_process';
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

try {
  // Built with the e2e servers' secrets in the environment, so that tests/e2e/security.spec.ts
  // can prove none of them is inlined into the browser's bundles.
  const { _comment, ...e2eEnv } = JSON.parse(readFileSync(new URL('../tests/e2e-env.json', import.meta.url), 'utf8'));
  run('npx', ['next', 'build'], e2eEnv);
  // The deployable directory tests/e2e/standalone-server.spec.ts starts (docs/deployment.md).
  run('node', ['scripts/standalone.mjs']);
  // A filter argument (e.g. `scale-out`) may match tests of only one of the two configs.
  const filtered = process.argv.length > 2 ? ['--pass-with-no-tests'] : [];
  run('npx', ['playwright', 'test', '--config', 'tests/playwright.config.ts', ...filtered, ...process.argv.slice(2)], {
    CHROMIUM_PATH: chromium,
  });
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
