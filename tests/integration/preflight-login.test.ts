// `npm run preflight` with a configured gateway makes one harmless authenticated call and says in
// one line whether the login works: run as its own process against the sandbox over HTTP, with
// the right login, a wrong one, and a gateway that is not there.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient } from '../../lib/gateway/client';
import { checkLogin, MADE_UP_ORDER_ID } from '../../lib/gateway/login-check';
import { controlFetch, SANDBOX_AUTH, startSandboxServer, type SandboxServer } from '../helpers/sandbox-server';

let server: SandboxServer;
beforeAll(async () => {
  server = await startSandboxServer();
});
afterAll(async () => server.close());

async function preflight(extra: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { NODE_ENV: 'test' as const, PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: ':memory:', ...extra };
  return promisify(execFile)('npx', ['tsx', 'scripts/preflight.ts'], { cwd: path.resolve(__dirname, '../..'), env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe('the login check', () => {
  it('accepted: errorCode 6 for the made-up order; refused: errorCode 5', async () => {
    const good = createGatewayClient({ baseUrl: server.restUrl, auth: SANDBOX_AUTH, statusRetries: 0 });
    expect((await checkLogin(good, server.restUrl)).verdict).toBe('accepted');
    const bad = createGatewayClient({ baseUrl: server.restUrl, auth: { userName: 'sandbox-api', password: 'nope' }, statusRetries: 0 });
    expect((await checkLogin(bad, server.restUrl)).verdict).toBe('refused');
    // Exactly one call each, both for the made-up order.
    const calls = (await (await controlFetch(`${server.url}/sandbox/control/requests?orderId=${MADE_UP_ORDER_ID}`)).json()) as {
      requests: { error_code: number }[];
    };
    expect(calls.requests.map((r) => r.error_code)).toEqual([6, 5]);
  });
});

describe('npm run preflight with GATEWAY_URL', () => {
  it('says the login works, in one line, and exits 0', async () => {
    const result = await preflight({
      GATEWAY_URL: server.restUrl,
      GATEWAY_USERNAME: SANDBOX_AUTH.userName,
      GATEWAY_PASSWORD: SANDBOX_AUTH.password,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Gateway login OK at http:\/\/127\.0\.0\.1:\d+\/sandbox\/payment\/rest\/ \(errorCode 6 for a made-up order, as expected\)$/m,
    );
  });

  it('a wrong password: one line naming the variables, exit 1', async () => {
    const result = await preflight({
      GATEWAY_URL: server.restUrl,
      GATEWAY_USERNAME: SANDBOX_AUTH.userName,
      GATEWAY_PASSWORD: 'wrong-password',
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^Gateway login refused at .*errorCode 5 .*GATEWAY_USERNAME\/GATEWAY_PASSWORD/);
    expect(result.stderr).not.toContain('wrong-password');
  });

  it('a gateway that does not answer only warns: start-up goes on', async () => {
    const result = await preflight({
      GATEWAY_URL: 'http://127.0.0.1:9/payment/rest/',
      GATEWAY_USERNAME: 'shop-api',
      GATEWAY_PASSWORD: 'secret',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^Gateway not reachable at http:\/\/127\.0\.0\.1:9\/payment\/rest\//m);
  });

  it('the embedded sandbox makes no call (it is not running yet)', async () => {
    const result = await preflight({});
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/Gateway login/);
  });
});
