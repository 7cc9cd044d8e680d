// The gateway client's transport (lib/gateway/transport.ts) against a real local HTTP server:
// what it sends, and how each way an exchange can fail is told apart (a timeout or a connection
// failure is an unknown outcome for the client, never a refusal).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpTransport, TransportError } from '../../lib/gateway/transport';

type Handler = (request: http.IncomingMessage, body: string, response: http.ServerResponse) => void;

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    ),
  );
});

async function serve(handler: Handler): Promise<{ url: URL; connections: () => number }> {
  let connections = 0;
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => handler(request, body, response));
  });
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/payment/rest/register.do`),
    connections: () => connections,
  };
}

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

describe('httpTransport', () => {
  it('posts the form with its type and length and gives back the status and the whole body; reuses the connection', async () => {
    const seen: { method?: string; url?: string; type?: string; length?: string; body: string }[] = [];
    const { url, connections } = await serve((request, body, response) => {
      seen.push({
        method: request.method,
        url: request.url,
        type: request.headers['content-type'],
        length: request.headers['content-length'],
        body,
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"orderId":"Ж-1","formUrl":"https://x/y"}');
    });
    const body = 'userName=shop&description=%D0%97%D0%B0%D0%BA%D0%B0%D0%B7';
    expect(await httpTransport(url, body, 2000)).toEqual({ status: 200, text: '{"orderId":"Ж-1","formUrl":"https://x/y"}' });
    expect(await httpTransport(url, body, 2000)).toMatchObject({ status: 200 });
    expect(seen[0]).toEqual({
      method: 'POST',
      url: '/payment/rest/register.do',
      type: 'application/x-www-form-urlencoded; charset=UTF-8',
      length: String(body.length),
      body,
    });
    expect(connections()).toBe(1);
  });

  it('a non-200 answer is an answer, not a failure', async () => {
    const { url } = await serve((_request, _body, response) => response.writeHead(502).end('<html>Bad Gateway</html>'));
    expect(await httpTransport(url, 'a=1', 2000)).toEqual({ status: 502, text: '<html>Bad Gateway</html>' });
  });

  it('the timeout covers the body: headers then silence is a timeout', async () => {
    const { url } = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"orderId":');
    });
    const started = Date.now();
    const error = await failure(httpTransport(url, 'a=1', 300));
    expect([error.kind, error.name]).toEqual(['timeout', 'TimeoutError']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('no answer at all (connection refused) is a connection failure', async () => {
    const error = await failure(httpTransport(new URL('http://127.0.0.1:9/payment/rest/register.do'), 'a=1', 2000));
    expect(error.kind).toBe('connection');
  });

  it('an answer cut off before its announced length is a connection failure', async () => {
    const { url } = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"orderId":"1"', () => response.socket?.destroy());
    });
    expect((await failure(httpTransport(url, 'a=1', 2000))).kind).toBe('connection');
  });

  it('an answer over 1 MiB is refused rather than buffered', async () => {
    const { url } = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(Buffer.alloc(2 * 1024 * 1024, 'x'));
    });
    const error = await failure(httpTransport(url, 'a=1', 5000));
    expect(error.kind).toBe('connection');
    expect(error.message).toContain('larger than');
  });
});
