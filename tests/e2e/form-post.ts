// A browser without JavaScript, over plain HTTP: reads a form as the server rendered it (the
// server action's hidden fields included) and posts it as multipart, the way a no-JS form does.
// For the attack tests, which must send what a browser would not (another page's path, forged
// X-Forwarded-For, many at once).
export type RenderedForm = { fields: [string, string][] };

export async function readForm(url: string, testId: string | undefined, headers: Record<string, string> = {}): Promise<RenderedForm> {
  const response = await fetch(url, { headers, redirect: 'manual' });
  const html = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  const start = testId ? html.indexOf(`data-testid="${testId}"`) : html.indexOf('<form');
  if (start < 0) throw new Error(`GET ${url}: no form ${testId ?? ''}`);
  const form = html.slice(html.lastIndexOf('<form', start), html.indexOf('</form>', start));
  const fields: [string, string][] = [];
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(input, 'name');
    if (name !== undefined && attribute(input, 'type') === 'hidden') fields.push([name, attribute(input, 'value') ?? '']);
  }
  if (!fields.some(([name]) => name.startsWith('$ACTION_'))) throw new Error(`GET ${url}: the form has no server-action fields`);
  return { fields };
}

export type PostResult = { status: number; location: string | undefined; text: string; ms: number };

/** Posts the form's hidden fields plus `values` (which replace hidden fields of the same name) to `url` as multipart/form-data. */
export async function postForm(
  url: string,
  form: RenderedForm,
  values: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<PostResult> {
  const boundary = `----e2eFormBoundary${Math.random().toString(16).slice(2)}`;
  const kept = form.fields.filter(([name]) => !(name in values));
  const parts = [...kept, ...Object.entries(values)].map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const begin = Date.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { origin: new URL(url).origin, 'content-type': `multipart/form-data; boundary=${boundary}`, ...headers },
    body: `${parts.join('')}--${boundary}--\r\n`,
    redirect: 'manual',
  });
  const text = await response.text();
  return { status: response.status, location: response.headers.get('location') ?? undefined, text, ms: Date.now() - begin };
}

/** The id of the server action a rendered form posts to. */
export function actionIdOf(form: RenderedForm): string {
  for (const [name, value] of form.fields) {
    if (/^\$ACTION_\d+:0$/.test(name)) return (JSON.parse(value) as { id: string }).id;
  }
  throw new Error('the form has no server action');
}

/**
 * Calls a form's server action the way React's client does (a `Next-Action` header, the arguments
 * encoded as multipart: the form's fields under "_1_", then the root "0" = [previous state,
 * FormData]), posted to `url`: Next runs it whatever page the URL names.
 */
export async function callAction(
  url: string,
  actionId: string,
  previousState: unknown,
  values: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<PostResult> {
  const body = new FormData();
  for (const [name, value] of Object.entries(values)) body.append(`_1_${name}`, value);
  body.append('0', JSON.stringify([previousState, '$K1']));
  const begin = Date.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { origin: new URL(url).origin, 'next-action': actionId, accept: 'text/x-component', ...headers },
    body,
    redirect: 'manual',
  });
  const text = await response.text();
  return { status: response.status, location: response.headers.get('location') ?? undefined, text, ms: Date.now() - begin };
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name.replace(/[$]/g, '\\$')}="([^"]*)"`).exec(tag);
  return match
    ? match[1]!
        .replace(/&quot;/g, '"')
        .replace(/&#x27;|&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&')
    : undefined;
}
