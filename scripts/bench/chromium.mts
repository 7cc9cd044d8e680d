// The Chromium the bench drives (Lighthouse's and the browser waits'), and the flags both start it
// with: those of the e2e tests (tests/e2e/web-server.ts), background networking off, as this
// machine's network is closed.
import { existsSync } from 'node:fs';

export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist`);
    return configured;
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error('No Chromium: install Debian’s chromium (apt-get install chromium) or set CHROMIUM_PATH');
}
