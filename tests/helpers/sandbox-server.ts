// A real HTTP server on a free port serving the sandbox handler, for tests that must go over the
// wire (integration tests: the real client against the real sandbox).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../lib/db/database';
import { openTestDatabase } from './test-database';
import type { CallbackOptions } from '../../lib/sandbox/callbacks';
import { createSandbox, type Sandbox } from '../../lib/sandbox/handler';

export const SANDBOX_AUTH = { userName: 'sandbox-api', password: 'sandbox-password' } as const;
export const SANDBOX_CALLBACK_KEY = 'test-callback-key-0123456789';

/** Callbacks to `url`; the rest defaults to the test key, 3 attempts, 50 ms apart, GET. */
export type TestCallbackOptions = Partial<CallbackOptions> & { url: string };

export type SandboxServer = {
  url: string;
  restUrl: string;
  db: Db;
  sandbox: Sandbox;
  close(): Promise<void>;
};

export async function startSandboxServer(options: { callbacks?: TestCallbackOptions } = {}): Promise<SandboxServer> {
  const db = await openTestDatabase();
  let publicUrl = 'http://127.0.0.1';
  const callbacks = options.callbacks && { key: SANDBOX_CALLBACK_KEY, attempts: 3, intervalMs: 50, ...options.callbacks };
  let sandbox = build();
  function build() {
    return createSandbox({ db, merchant: 'demo-shop', merchantName: 'Test shop', credentials: SANDBOX_AUTH, publicUrl, callbacks });
  }
  const server = createServer((req, res) => {
    void serve(sandbox, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sandbox = build();
  // Only the final sandbox (with the real publicUrl) delivers; without callbacks this is a no-op.
  sandbox.callbacks.start();
  return {
    url: publicUrl,
    restUrl: `${publicUrl}/sandbox/payment/rest/`,
    db,
    get sandbox() {
      return sandbox;
    },
    close: async () => {
      await sandbox.callbacks.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.destroy();
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
