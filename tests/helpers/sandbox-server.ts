// A real HTTP server on a free port serving the sandbox handler, for tests that must go over the
// wire (integration tests: the real client against the real sandbox).
import { openSandboxTables } from '../../lib/sandbox/migrations';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../lib/db/database';
import { openTestDatabase } from './test-database';
import type { CallbackOptions } from '../../lib/sandbox/callbacks';
import { bearerTokenMatches } from '../../lib/sandbox/control-access';
import { createSandbox, type Sandbox } from '../../lib/sandbox/handler';
import type { Latency } from '../../lib/sandbox/latency';
import type { SandboxCredentials } from '../../lib/sandbox/rest';

export const SANDBOX_AUTH = { userName: 'sandbox-api', password: 'sandbox-password' } as const;
export const SANDBOX_CALLBACK_KEY = 'test-callback-key-0123456789';
/** The test sandboxes' SANDBOX_CONTROL_TOKEN: /sandbox/control/* answers 401 without it. */
export const SANDBOX_CONTROL_TOKEN = 'test-control-token-0123456789abcdef';
/** The shop's origin in the integration tests (tests/helpers/shop-harness.ts): its returnUrl is there. */
export const SHOP_ORIGIN = 'http://shop.test';

/** fetch with the control token: every call of /sandbox/control/* in the integration tests goes through here. */
export function controlFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${SANDBOX_CONTROL_TOKEN}`);
  return fetch(url, { ...init, headers });
}

/** Callbacks to `url`; the rest defaults to the test key, 3 attempts, 50 ms apart, GET. */
export type TestCallbackOptions = Partial<CallbackOptions> & { url: string };

export type SandboxServer = {
  url: string;
  restUrl: string;
  db: Db;
  sandbox: Sandbox;
  close(): Promise<void>;
};

export type SandboxServerOptions = {
  callbacks?: TestCallbackOptions;
  /** What the sandbox accepts (default SANDBOX_AUTH). */
  credentials?: SandboxCredentials;
  /** Origins besides the server's own that returnUrl may point at (default: the test shop's). */
  returnOrigins?: readonly string[];
  /** The public URL the sandbox is built with (default: the server's own loopback address). */
  publicUrl?: string;
  /** A database to use (closed by the caller); default: a fresh one, closed with the server. */
  db?: Db;
  /** errorCode as a JSON number, as some banks send it (SANDBOX_ERROR_CODE_TYPE=number). */
  numericErrorCodes?: boolean;
  /** A bank's latency on every REST call (default none). */
  latency?: Latency;
};

export async function startSandboxServer(options: SandboxServerOptions = {}): Promise<SandboxServer> {
  const db = options.db ?? (await openTestDatabase());
  const sandboxDb = await openSandboxTables(db);
  let publicUrl = options.publicUrl ?? 'http://127.0.0.1';
  const callbacks = options.callbacks && { key: SANDBOX_CALLBACK_KEY, attempts: 3, intervalMs: 50, ...options.callbacks };
  let sandbox = build();
  function build() {
    return createSandbox({
      db: sandboxDb,
      merchant: 'demo-shop',
      merchantName: 'Test shop',
      credentials: options.credentials ?? SANDBOX_AUTH,
      publicUrl,
      callbacks,
      returnOrigins: options.returnOrigins ?? [SHOP_ORIGIN],
      authorizeControl: async (request) => bearerTokenMatches(request, SANDBOX_CONTROL_TOKEN),
      numericErrorCodes: options.numericErrorCodes,
      ...(options.latency ? { latency: options.latency } : {}),
    });
  }
  const server = createServer((req, res) => {
    void serve(sandbox, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  publicUrl = options.publicUrl ?? url;
  sandbox = build();
  // Only the final sandbox (with the real publicUrl) delivers; without callbacks this is a no-op.
  sandbox.callbacks.start();
  return {
    url,
    restUrl: `${url}/sandbox/payment/rest/`,
    db,
    get sandbox() {
      return sandbox;
    },
    close: async () => {
      await sandbox.callbacks.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.db) await db.destroy();
    },
  };
}

async function serve(sandbox: Sandbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(key, value);
    }
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks),
    });
    const response = await sandbox.handle(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(error));
  }
}
