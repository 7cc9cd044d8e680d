// Page weight: first-load JavaScript (gzipped) and HTML bytes of each page, and the same for the
// empty App Router page (the framework's floor).
//
// Shop pages: JavaScript from Next's .next/diagnostics/route-bundle-stats.json (the chunks a first
// visit loads), each chunk gzipped. The sandbox's payment page and Mir Pay app are plain HTML from
// a route handler (no bundle stats): their JavaScript is what the HTML carries, <script src> and
// inline. HTML: one GET with the page's cookies and a phone's headers, on the wire (gzip, as
// `next start` compresses) and decoded.
import { request } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { firstLoadJs, floorHtml, type BuildInfo } from './build.mjs';
import { MOBILE_UA } from './config.mjs';
import type { BenchPage } from './pages.mjs';

export type PageWeight = {
  page: string;
  path: string;
  jsSource: string;
  jsGzipBytes: number;
  jsRawBytes: number;
  htmlStatus: number | null;
  htmlBytes: number;
  htmlWireBytes: number;
  /** The response's Cache-Control (tells whether the page is rendered per request). */
  cacheControl: string | null;
  /** x-nextjs-cache / x-nextjs-prerender headers, when Next served a prerendered page. */
  nextCache: string | null;
};

export async function measurePageWeights(shop: BuildInfo, floor: BuildInfo, pages: readonly BenchPage[]): Promise<PageWeight[]> {
  const rows: PageWeight[] = [];
  const floorJs = firstLoadJs(floor, '/');
  const floorPage = floorHtml();
  rows.push({
    page: 'Empty App Router page (floor)',
    path: '/',
    jsSource: 'floor app route-bundle-stats.json',
    jsGzipBytes: floorJs.gzipBytes,
    jsRawBytes: floorJs.rawBytes,
    htmlStatus: 200,
    htmlBytes: floorPage.rawBytes,
    htmlWireBytes: floorPage.gzipBytes,
    cacheControl: 'static (prerendered)',
    nextCache: null,
  });
  for (const page of pages) {
    const html = await fetchHtml(page.url, page.headers);
    if (html.status !== 200) throw new Error(`${page.name}: GET ${page.path} answered ${html.status}`);
    const js = page.route ? firstLoadJs(shop, page.route) : await inlineAndLinkedScripts(html.body, page.url);
    rows.push({
      page: page.name,
      path: page.path,
      jsSource: page.route ? `route-bundle-stats.json ${page.route}` : 'scripts in the HTML (route handler)',
      jsGzipBytes: js.gzipBytes,
      jsRawBytes: js.rawBytes,
      htmlStatus: html.status,
      htmlBytes: html.body.length,
      htmlWireBytes: html.wireBytes,
      cacheControl: html.headers['cache-control'] ?? null,
      nextCache: [html.headers['x-nextjs-cache'], html.headers['x-nextjs-prerender']].filter(Boolean).join(' ') || null,
    });
  }
  return rows;
}

type Fetched = { status: number; headers: Record<string, string>; body: Buffer; wireBytes: number };

/** GET with gzip accepted, as a phone asks; returns the bytes on the wire and the decoded body. */
export function fetchHtml(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { headers: { 'user-agent': MOBILE_UA, 'accept-encoding': 'gzip', accept: 'text/html', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const wire = Buffer.concat(chunks);
          const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
          const flat: Record<string, string> = {};
          for (const [key, value] of Object.entries(res.headers)) if (value !== undefined) flat[key] = String(value);
          resolve({ status: res.statusCode ?? 0, headers: flat, body, wireBytes: wire.length });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function inlineAndLinkedScripts(html: Buffer, pageUrl: string): Promise<{ rawBytes: number; gzipBytes: number }> {
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const match of html.toString('utf8').matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const src = /\ssrc="([^"]+)"/.exec(match[1]!)?.[1];
    const code = src ? Buffer.from(await (await fetch(new URL(src, pageUrl))).arrayBuffer()) : Buffer.from(match[2]!, 'utf8');
    rawBytes += code.length;
    gzipBytes += gzipSync(code).length;
  }
  return { rawBytes, gzipBytes };
}
