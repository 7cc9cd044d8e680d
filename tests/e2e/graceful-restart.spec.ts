// A restart in the middle of a two-stage payment's return, under load: SIGTERM to a server of its
// own (PORT + 4, its own SQLite file, the sandbox slowed to 1 s an answer so that gateway calls
// are in flight). Every request the server took gets a non-5xx answer, the server exits 0, and the
// same database served again by a fresh instance ends the payment: nothing was left half-done.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { dataFile, PORT } from './servers';
import { checkOut, payAndVanish, waitFor, waitUntilReady } from './shop-helpers';
import { E2E_ENV, ROOT } from './web-server';

const RESTART_PORT = PORT + 4;
const URL_ = `http://localhost:${RESTART_PORT}`;
const DATABASE = dataFile(`e2e-restart-${RESTART_PORT}.sqlite`);

function startServer(fresh: boolean, env: Record<string, string>): ChildProcess {
  const log = openSync(dataFile(`e2e-restart-${RESTART_PORT}.log`), fresh ? 'w' : 'a');
  const reset = fresh ? `rm -f ${DATABASE} ${DATABASE}-wal ${DATABASE}-shm && ` : '';
  return spawn('sh', ['-c', `${reset}npm run -s preflight && exec node_modules/.bin/next start -p ${RESTART_PORT}`], {
    cwd: ROOT,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...E2E_ENV, PORT: String(RESTART_PORT), APP_URL: URL_, DATABASE_URL: DATABASE, ...env },
  });
}

const exited = (server: ChildProcess) => new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));

let server: ChildProcess | undefined;

test.afterAll(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
});

test('SIGTERM during a two-stage return under load: no 5xx for accepted requests, exit 0, a restart finishes the payment', async ({
  page,
}) => {
  test.setTimeout(150_000);
  server = startServer(true, { RECONCILE_INTERVAL_MS: '0', SANDBOX_LATENCY_MS: '1000' });
  await waitUntilReady(URL_);
  const gatewayOrderId = await checkOut(page, URL_, { cart: 'honey:1', twoStage: true });
  const orderId = await payAndVanish(page);

  // The shopper's return and twenty order-page polls, each reading the (slow) bank; the signal
  // comes while they are in flight.
  const requests = [
    fetch(`${URL_}/orders/${orderId}?orderId=${gatewayOrderId}`, { redirect: 'manual' }),
    ...Array.from({ length: 20 }, () => fetch(`${URL_}/api/orders/${orderId}`)),
  ].map((request) =>
    request.then(
      (response) => ({ status: response.status }),
      (error: unknown) => ({ error: String(error) }),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const exit = exited(server);
  server.kill('SIGTERM');
  const answers = await Promise.all(requests);
  expect(await exit).toBe(0);
  const answered = answers.flatMap((answer) => ('status' in answer ? [answer.status] : []));
  expect(answered.length, 'requests taken before the signal were answered').toBeGreaterThan(0);
  expect(answered.filter((status) => status >= 500)).toEqual([]);

  // A new instance on the same database (its reconciler on) brings the payment to its end.
  server = startServer(false, { RECONCILE_INTERVAL_MS: '1000' });
  await waitUntilReady(URL_);
  let view: { state?: string; final?: boolean } = {};
  await waitFor(async () => {
    view = (await (await fetch(`${URL_}/api/orders/${orderId}`)).json()) as typeof view;
    return view.final === true;
  }, 45_000);
  expect(view.state).toBe('paid');
  const stopped = exited(server);
  server.kill('SIGTERM');
  expect(await stopped).toBe(0);
});
