// docs/reliability.md #30, run after every other e2e test: the servers' logs (every journey, callback,
// fault and card payment above) hold no credential, callback key, checksum or card number. Each
// shard of scripts/e2e.mjs runs this after its own tests, on its own two servers' logs.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { passesLuhn } from '../../lib/gateway/mask';
import { dataFile, MAIN_SERVER, RECONCILER_SERVER } from './servers';
import { E2E_ENV } from './web-server';

const LOGS = [MAIN_SERVER, RECONCILER_SERVER].map((name) => dataFile(`${name}.log`));

test('the logs hold no password, token, callback key, checksum or card number', () => {
  const text = LOGS.map((file) => readFileSync(file, 'utf8')).join('\n');
  // The journeys did run and log: one line per gateway call at least.
  expect(text.match(/"event":"gateway\.call"/g)?.length ?? 0).toBeGreaterThan(50);
  for (const name of ['GATEWAY_PASSWORD', 'CALLBACK_KEY', 'GATEWAY_USERNAME', 'SANDBOX_CONTROL_TOKEN', 'METRICS_TOKEN'])
    expect(text, name).not.toContain(E2E_ENV[name]);
  expect(text).not.toMatch(/password=|token=|checksum=/i);
  expect(text.match(/(?<![0-9A-Fa-f])[0-9A-Fa-f]{64}(?![0-9A-Fa-f])/g) ?? [], 'checksum-like hex').toEqual([]);
  const cardLike = (text.match(/(?<!\d)[2-6]\d{12,18}(?!\d)/g) ?? []).filter(passesLuhn);
  expect(cardLike, 'Luhn-valid card numbers').toEqual([]);
});
