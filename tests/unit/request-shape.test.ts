// What proxy.ts refuses before Next sees it (lib/web/request-shape.ts): undecodable paths, bodies
// over the limit (declared or streamed), and server-action bodies Next's decoder would throw on.
import { describe, expect, it } from 'vitest';
import { checkBody, decodablePath, isActionPost, queryWithoutNul } from '../../lib/web/request-shape';

const URL_ = 'http://localhost/checkout';
const ACTION = { 'next-action': '60e25037ab2563a08a00dd61ca849a5521e33bcc78' };

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request(URL_, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

/** A body that streams (no Content-Length), in pieces of `piece` bytes, `total` in all. */
function streamed(total: number, piece = 16 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(piece, total - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(97));
    },
  });
}

function multipart(fields: [string, string][]): { body: string; type: string } {
  const boundary = 'b0undary';
  const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  return { body: `${parts.join('')}--${boundary}--\r\n`, type: `multipart/form-data; boundary=${boundary}` };
}

describe('decodablePath', () => {
  it.each(['/orders/abc', '/products/%D1%87%D0%B0%D0%B9', '/a%2Fb', '/'])('%s decodes', (path) => expect(decodablePath(path)).toBe(true));
  it.each(['/orders/%E0%A4%A', '/%ZZ', '/x/%', '/%C0%AF'])('%s does not', (path) => expect(decodablePath(path)).toBe(false));
  it.each(['/orders/%00', '/api/orders/a%0Ab', '/x%7F'])('%s decodes to a control character: refused', (path) =>
    expect(decodablePath(path)).toBe(false),
  );
});

describe('queryWithoutNul', () => {
  it.each(['', '?q=abc', '?q=%D0%B0', '?retry=failed&x=%25'])('%s passes', (search) => expect(queryWithoutNul(search)).toBe(true));
  it.each(['?q=%00', '?q=a%00b', '?%00=x'])('%s is refused', (search) => expect(queryWithoutNul(search)).toBe(false));
});

describe('checkBody: size', () => {
  it('refuses a declared Content-Length over the limit without reading', async () => {
    const request = post(streamed(10), { 'content-length': String(64 * 1024 + 1), 'content-type': 'application/x-www-form-urlencoded' });
    expect(await checkBody(request)).toEqual({ ok: false, status: 413 });
    expect(request.bodyUsed).toBe(false);
  });

  it('refuses a streamed body once it passes the limit, and takes one under it', async () => {
    expect(await checkBody(post(streamed(300 * 1024 * 1024), { 'content-type': 'text/plain' }))).toEqual({ ok: false, status: 413 });
    expect(await checkBody(post(streamed(1000), { 'content-type': 'text/plain' }))).toEqual({ ok: true });
  });

  it('leaves GET alone and does not read a non-action body with a fitting Content-Length', async () => {
    expect(await checkBody(new Request(URL_))).toEqual({ ok: true });
    const request = post('a=1', { 'content-length': '3', 'content-type': 'application/x-www-form-urlencoded' });
    expect(await checkBody(request)).toEqual({ ok: true });
    expect(request.bodyUsed).toBe(false);
  });
});

describe('checkBody: server-action bodies', () => {
  it('knows an action post by its Next-Action header or a multipart body', () => {
    expect(isActionPost(post('x', ACTION))).toBe(true);
    expect(isActionPost(post('x', { 'content-type': 'multipart/form-data; boundary=x' }))).toBe(true);
    expect(isActionPost(post('a=1', { 'content-type': 'application/x-www-form-urlencoded' }))).toBe(false);
  });

  it('takes what the browser sends: a multipart reply ending with the form, a form post', async () => {
    const reply = multipart([
      ['1_name', 'Анна'],
      ['0', '[{"checkoutKey":"k","values":{"name":"$$5"},"failure":"$undefined"},"$K1"]'],
    ]);
    expect(await checkBody(post(reply.body, { ...ACTION, 'content-type': reply.type }))).toEqual({ ok: true });
    const form = multipart([
      ['$ACTION_REF_2', ''],
      ['$ACTION_2:0', '{"id":"abc","bound":"$@1"}'],
      ['$ACTION_2:1', '[{}]'],
      ['$ACTION_KEY', 'k1'],
      ['name', 'x'],
    ]);
    expect(await checkBody(post(form.body, { 'content-type': form.type }))).toEqual({ ok: true });
    // An action without arguments (the console's log-out): React sends "[]" as plain text.
    expect(await checkBody(post('[]', { ...ACTION, 'content-type': 'text/plain;charset=UTF-8' }))).toEqual({ ok: true });
  });

  it.each([
    ['garbage text', 'garbage{{{', 'text/plain;charset=UTF-8'],
    ["a JSON argument list (the shop's actions all take a form)", '[{"a":1},"$K1"]', 'text/plain;charset=UTF-8'],
    ['JSON that is not an argument list', '"{\\"x\\":1"', 'application/json'],
    ['cut-off JSON', '{"x":1', 'application/json'],
    ['multipart without a boundary', 'garbage', 'multipart/form-data'],
    ['multipart cut off', 'garbage\r\n--nope', 'multipart/form-data; boundary=XYZ'],
    ['multipart without its root row', multipart([['1_name', 'x']]).body, multipart([]).type],
    ['multipart whose root is not JSON', multipart([['0', '[garbage']]).body, multipart([]).type],
    ['arguments not ending with the form', multipart([['0', '[1,2,3]']]).body, multipart([]).type],
    ['a reference to a missing row', multipart([['0', '["$@5","$K1"]']]).body, multipart([]).type],
    ['a reference inside the state', multipart([['0', '[{"values":"$Q2"},"$K1"]']]).body, multipart([]).type],
  ])('a fetch action with %s: 400', async (_label, body, type) => {
    expect(await checkBody(post(body, { ...ACTION, 'content-type': type }))).toEqual({ ok: false, status: 400 });
  });

  it.each([
    [
      'a bound state that is not JSON',
      [
        ['$ACTION_REF_2', ''],
        ['$ACTION_2:0', '{"id":"abc","bound":"$@1"}'],
        ['$ACTION_2:1', '[garbage'],
      ],
    ],
    [
      'a reference without its row 0',
      [
        ['$ACTION_REF_2', ''],
        ['$ACTION_2:1', '[]'],
      ],
    ],
    [
      'a row 0 naming no action',
      [
        ['$ACTION_REF_2', ''],
        ['$ACTION_2:0', '"abc"'],
      ],
    ],
    [
      'bound arguments that are not there',
      [
        ['$ACTION_REF_2', ''],
        ['$ACTION_2:0', '{"id":"abc","bound":"$@1"}'],
      ],
    ],
    [
      'bound arguments that are not a list',
      [
        ['$ACTION_REF_2', ''],
        ['$ACTION_2:0', '{"id":"abc","bound":"$@1"}'],
        ['$ACTION_2:1', '5'],
      ],
    ],
    [
      'a reference among the bound arguments',
      [
        ['$ACTION_REF_2', ''],
        ['$ACTION_2:0', '{"id":"abc","bound":"$@1"}'],
        ['$ACTION_2:1', '["$@7"]'],
      ],
    ],
  ] as [string, [string, string][]][])('a form post with %s: 400', async (_label, fields) => {
    const form = multipart(fields);
    expect(await checkBody(post(form.body, { 'content-type': form.type }))).toEqual({ ok: false, status: 400 });
  });
});
