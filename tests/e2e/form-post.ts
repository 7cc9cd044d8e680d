// A browser without JavaScript, over plain HTTP: reads a form as the server rendered it (its hidden
// fields, a server action's included) and posts it as multipart, the way a no-JS form does.
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
  return { fields };
}

export type PostResult = { status: number; location: string | undefined; setCookie: string | undefined; text: string; ms: number };

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
  const setCookie = response.headers.getSetCookie().join(', ') || undefined;
  return { status: response.status, location: response.headers.get('location') ?? undefined, setCookie, text, ms: Date.now() - begin };
}

/** The id of the server action a rendered form posts to. */
export function actionIdOf(form: RenderedForm): string {
  for (const [name, value] of form.fields) {
    if (/^\$ACTION_\d+:0$/.test(name)) return (JSON.parse(value) as { id: string }).id;
  }
  throw new Error('the form has no server action');
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
