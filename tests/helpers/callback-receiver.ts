// The merchant's end of the sandbox's callback notifications, for the callback tests: a tiny
// node:http receiver records every notification, a sandbox server sends them there, and the real
// gateway client with a phone drives orders through their transitions.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { verifyCallback } from '../../lib/gateway/checksum';
import { createGatewayClient, type GatewayClient } from '../../lib/gateway/client';
import { payWithMirPay } from './phone';
import { controlFetch, SANDBOX_AUTH, SANDBOX_CALLBACK_KEY, startSandboxServer, type SandboxServer } from './sandbox-server';

export type Hit = { method: string; path: string; params: Record<string, string>; contentType: string | undefined; at: number };
type Responder = (nth: number, res: ServerResponse) => void;

let receiver: Server;
export let receiverUrl: string;
export let server: SandboxServer;
export let client: GatewayClient;
export const hits: Hit[] = [];
const responders = new Map<string, Responder>();
let counter = 0;

/** A number no other order or path of this test file has used. */
export const nextId = () => ++counter;

/** The receiver and the sandbox for the calling test file: started before its tests, closed after; controls reset after each test. */
export function setUpCallbackReceiver(): void {
  beforeAll(async () => {
    receiver = createServer((req, res) => void receive(req, res));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    server = await startSandboxServer({ callbacks: { url: `${receiverUrl}/default`, attempts: 3, intervalMs: 50 } });
    client = createGatewayClient({ baseUrl: server.restUrl, auth: SANDBOX_AUTH, timeoutMs: 5000 });
  });
  afterAll(async () => {
    await server.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
  afterEach(async () => {
    expect((await control({ enabled: true, delayMs: 0, duplicate: 0, hold: false })).status).toBe(200);
  });
}

async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', receiverUrl);
  const query = req.method === 'POST' ? new URLSearchParams(Buffer.concat(chunks).toString()) : url.searchParams;
  hits.push({
    method: req.method ?? '',
    path: url.pathname,
    params: Object.fromEntries(query),
    contentType: req.headers['content-type'],
    at: Date.now(),
  });
  const respond = responders.get(url.pathname);
  if (respond) return respond(hits.filter((h) => h.path === url.pathname).length, res);
  res.writeHead(200).end('OK');
}

/** A fresh receiver path, so each test sees only its own notifications. */
export function endpoint(name: string, respond?: Responder): string {
  const path = `/${name}-${nextId()}`;
  if (respond) responders.set(path, respond);
  return path;
}
export const hitsAt = (path: string) => hits.filter((h) => h.path === path);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 4000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}

export async function control(body: unknown, suffix = ''): Promise<Response> {
  return controlFetch(`${server.url}/sandbox/control/callbacks${suffix}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export type OutboxEntry = { state: string; attempts: number; lastStatus: number | null; lastError: string | null; operation: string };
export async function outbox(orderId: string, on: SandboxServer = server): Promise<OutboxEntry[]> {
  const response = await controlFetch(`${on.url}/sandbox/control/callbacks?orderId=${orderId}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { callbacks: OutboxEntry[] }).callbacks;
}

/** A paid order (one-stage: deposited; two-stage: approved), its notifications sent to `path`. */
export async function paidOrder(options: { path?: string; twoStage?: boolean; amount?: number; card?: string } = {}) {
  const orderNumber = `CB-${Date.now().toString(36)}-${nextId()}`;
  const register = options.twoStage ? client.registerPreAuth : client.register;
  const { orderId, formUrl } = await register({
    orderNumber,
    amount: options.amount ?? 150_000,
    returnUrl: `${server.url}/checkout/return`,
    pageView: 'MOBILE',
    ...(options.path ? { dynamicCallbackUrl: `${receiverUrl}${options.path}` } : {}),
  });
  await payWithMirPay(formUrl, options.card ?? 'mir-0047');
  return { orderId, orderNumber };
}

export function expectSigned(hit: Hit): void {
  expect(verifyCallback(hit.params, SANDBOX_CALLBACK_KEY)).toBe(true);
  expect(hit.params.checksum).toMatch(/^[0-9A-F]{64}$/);
  expect(verifyCallback(hit.params, 'another-key-0123456789abcdef')).toBe(false);
  expect(verifyCallback({ ...hit.params, amount: '1' }, SANDBOX_CALLBACK_KEY)).toBe(false);
}

export async function waitForOutbox(
  orderId: string,
  done: (entry: OutboxEntry) => boolean,
  on: SandboxServer = server,
): Promise<OutboxEntry> {
  const deadline = Date.now() + 4000;
  for (;;) {
    const entry = (await outbox(orderId, on))[0];
    if (entry && done(entry)) return entry;
    if (Date.now() > deadline) throw new Error(`outbox of ${orderId}: ${JSON.stringify(entry)}`);
    await sleep(30);
  }
}
