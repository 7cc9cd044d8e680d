// How the client's form posts reach the gateway: node:http(s) with keep-alive connections.
// Not fetch: inside Next.js a server's fetch is Next's patched one (cache bookkeeping, tracing
// spans) on top of undici's web streams, and a gateway call through it costs about three times the
// CPU of a plain request (scripts/bench, README "Performance"). A gateway call needs none of that:
// one small POST, one small JSON answer, no redirects, no cache.
import http from 'node:http';
import https from 'node:https';

export type GatewayReply = { status: number; text: string };

/** Posts a form body; resolves with the status and the whole body, or rejects (see below). */
export type GatewayTransport = (url: URL, body: string, timeoutMs: number) => Promise<GatewayReply>;

/** A transport failure: no answer in time ('timeout') or no answer at all ('connection'). */
export class TransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'connection',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = kind === 'timeout' ? 'TimeoutError' : 'TransportError';
  }
}

/** Answers larger than this are not a gateway's JSON: the exchange fails rather than buffer them. */
const MAX_BODY_BYTES = 1024 * 1024;

// Idle connections are closed after 4 s, before the 5 s keep-alive most servers announce (Node's
// agent also honours a shorter `Keep-Alive: timeout=` hint), so a post never goes out on a
// connection the server is closing: for register.do or deposit.do that would be an unknown outcome.
const agentOptions = { keepAlive: true, timeout: 4_000, maxSockets: 64, maxFreeSockets: 16 };
const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };

/** What every post to the gateway carries (docs/gateway-api.md §1.2), whichever transport sends it. */
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', accept: 'application/json' } as const;

/** The default transport. The timer covers the whole exchange, body included, like the client's contract. */
export const httpTransport: GatewayTransport = (url, body, timeoutMs) =>
  new Promise<GatewayReply>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request(url, {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: { ...FORM_HEADERS, 'content-length': Buffer.byteLength(body) },
    });
    const timer = setTimeout(() => request.destroy(new TransportError('timeout', `no complete answer within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error instanceof TransportError ? error : new TransportError('connection', error.message, { cause: error }));
    };
    request.once('error', fail);
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) request.destroy(new TransportError('connection', `answer larger than ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      response.once('error', fail);
      // 'close' comes after 'end' for a whole answer, alone for one cut off (then only the
      // first of reject and resolve counts).
      response.once('close', () => {
        if (!response.complete) fail(new TransportError('connection', 'the answer was cut off'));
      });
      response.once('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.end(body);
  });

/** A fetch-shaped function as a transport: for tests that script the gateway's answers. */
export function fetchTransport(doFetch: typeof fetch): GatewayTransport {
  return async (url, body, timeoutMs) => {
    const response = await doFetch(url, {
      method: 'POST',
      headers: FORM_HEADERS,
      body,
      signal: AbortSignal.timeout(timeoutMs),
      cache: 'no-store',
    });
    return { status: response.status, text: await response.text() };
  };
}
