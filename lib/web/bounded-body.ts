// Reading a request body with a ceiling that holds while it streams. `request.text()` buffers the
// whole body before anyone can look at its size, so a 300 MB chunked post (no Content-Length)
// costs 300 MB of memory before it can be refused; here the read stops at the first chunk past
// the limit and the rest is never pulled from the socket.

export type BoundedBody = { ok: true; text: string } | { ok: false; reason: 'too-large' | 'unreadable' };

/** The body as UTF-8 text, or a refusal once more than `maxBytes` have arrived (or the stream broke). */
export async function readBoundedText(request: Request, maxBytes: number): Promise<BoundedBody> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, reason: 'too-large' };
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'too-large' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

/** The HTTP status a refused body is answered with. */
export function statusOf(refusal: { reason: 'too-large' | 'unreadable' }): 413 | 400 {
  return refusal.reason === 'too-large' ? 413 : 400;
}
