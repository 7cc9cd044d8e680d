// The bank the bench pays through: the shop's own sandbox gateway, served by a second `next start`
// of the same build in a process of its own, with a bank's latency on every REST call. The shop
// under test reaches it over loopback HTTP as it would reach a bank (GATEWAY_URL), so the shop's
// CPU and the bank's never share an event loop, and each process's CPU is its own.
import { freePort, startServer, type BenchServer } from './server.mjs';

/** A bank over the internet: 100–300 ms a round trip. */
export const BANK_LATENCY = { ms: 150, jitterMs: 20 };
/** Bearer token of the bank's /sandbox/control/* (the hanging-bank measurement sets a fault). */
export const BANK_CONTROL_TOKEN = 'bench-control-token-0123456789abcdef';
export const BANK_AUTH = { userName: 'sandbox-api', password: 'sandbox-password' } as const;

export type Bank = BenchServer & { restUrl: string };

/** `shopOrigins`: the origins whose returnUrl the bank accepts (the shops that will pay through it). */
export async function startBank(name: string, shopOrigins: readonly string[], latency = BANK_LATENCY): Promise<Bank> {
  const server = await startServer(name, {
    env: {
      SANDBOX_LATENCY_MS: String(latency.ms),
      SANDBOX_LATENCY_JITTER_MS: String(latency.jitterMs),
      SANDBOX_CONTROL_TOKEN: BANK_CONTROL_TOKEN,
      // The floor app's register.do carries a returnUrl on http://localhost (scripts/bench/build.mts).
      SANDBOX_RETURN_ORIGINS: ['http://localhost', ...shopOrigins].join(','),
    },
  });
  return { ...server, restUrl: `${server.base}/sandbox/payment/rest/` };
}

/**
 * The settings that make a shop pay through `bank`: the scale-out setup of the README (GATEWAY_URL
 * at another instance's sandbox). The shop keeps its own sandbox on, unused, only so that checkout
 * keeps the per-order choice of the one- or two-stage flow (its "demo settings").
 */
export function shopEnvFor(bank: Bank): Record<string, string> {
  return { GATEWAY_URL: bank.restUrl, GATEWAY_USERNAME: BANK_AUTH.userName, GATEWAY_PASSWORD: BANK_AUTH.password, SANDBOX_ENABLED: 'true' };
}

/** Makes the bank's next call of `method` hang (no answer until the client gives up), `times` calls; `times` 0 = until cleared. */
export async function hangBank(bank: Bank, method: string, times: number): Promise<void> {
  const response = await fetch(`${bank.base}/sandbox/control/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BANK_CONTROL_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fault: 'hang', method, times, delayMs: 120_000 }),
  });
  if (!response.ok) throw new Error(`setting the bank's hang fault answered ${response.status}: ${await response.text()}`);
}

export async function clearBankFaults(bank: Bank): Promise<void> {
  const response = await fetch(`${bank.base}/sandbox/control/faults`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${BANK_CONTROL_TOKEN}` },
  });
  if (!response.ok) throw new Error(`clearing the bank's faults answered ${response.status}`);
}

export { freePort };
