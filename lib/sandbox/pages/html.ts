// Tiny HTML helpers for the sandbox's pages: plain server-rendered HTML, no framework, so the
// pages are as light as the bank's and work without JavaScript.

export { formatRub } from '../../money';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A tagged template that escapes every interpolated value unless it is already Html. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function htmlResponse(body: Html, status = 200): Response {
  return new Response(`<!doctype html>${body.value}`, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-robots-tag': 'noindex',
    },
  });
}

/**
 * The pages' icon, inline: a page without one makes the browser ask for /favicon.ico, which the
 * shop does not serve (a 404 on every payment page). A bank card on the gateway's blue.
 */
const ICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0b5fd1"/><rect x="6" y="9" width="20" height="14" rx="2.5" fill="#fff"/><rect x="6" y="12" width="20" height="3" fill="#0b5fd1"/></svg>',
)}`;

export function document(options: { lang: 'ru' | 'en'; title: string; bodyClass: string; body: Html; script?: string }): Html {
  return html`<html lang="${options.lang}">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width,initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>${options.title}</title>
      <link rel="icon" href="${ICON}" />
      <style>
        ${new Html(STYLES)}
      </style>
    </head>
    <body class="${options.bodyClass}">
      ${options.body}${options.script ? new Html(`<script>${options.script}</script>`) : ''}
    </body>
  </html>`;
}

const STYLES = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;background:#eef1f6}
a{color:#0b5fd1}
.banner{background:#fff4cc;color:#5c4500;font-size:13px;text-align:center;padding:6px 12px}
.sheet{max-width:440px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:16px;padding:20px;box-shadow:0 1px 3px rgba(16,24,40,.08)}
.top{display:flex;justify-content:space-between;align-items:center;gap:12px;margin-bottom:12px}
.merchant{font-weight:600;color:#4a5468}
.lang a{display:inline-flex;min-width:44px;min-height:44px;align-items:center;justify-content:center;font-weight:600;text-decoration:none}
h1{font-size:18px;margin:0 0 4px}
.amount{font-size:30px;font-weight:700;margin:4px 0}
.muted{color:#5b6578;font-size:14px;margin:4px 0}
.notice{border-radius:12px;padding:12px 14px;margin:14px 0;font-size:15px}
.notice.error{background:#fdecec;color:#8a1c1c}
.notice.info{background:#e8f1fe;color:#0b3d86}
.button{display:flex;width:100%;min-height:52px;align-items:center;justify-content:center;gap:10px;border:0;border-radius:12px;font:600 17px system-ui,sans-serif;cursor:pointer;text-decoration:none}
.button.primary{background:#0b5fd1;color:#fff}
.button.secondary{background:#eef1f6;color:#1d2433;margin-top:10px}
.button.mirpay{background:#0f754e;color:#fff;margin:16px 0 4px}
.mir-logo{font:700 15px system-ui,sans-serif;letter-spacing:.5px;background:#fff;color:#0f754e;border-radius:6px;padding:2px 7px}
.divider{display:flex;align-items:center;gap:10px;color:#5b6578;font-size:13px;margin:18px 0 8px}
.divider::before,.divider::after{content:"";flex:1;border-top:1px solid #dde2ea}
label{display:block;font-size:14px;color:#4a5468;margin:10px 0 0}
input{display:block;width:100%;min-height:48px;margin-top:4px;padding:10px 12px;border:1px solid #c8cfdb;border-radius:10px;font:17px system-ui,sans-serif;color:#1d2433;background:#fff}
.row{display:flex;gap:12px}.row label{flex:1}
form .button{margin-top:18px}
details{margin-top:18px;font-size:14px}summary{min-height:44px;display:flex;align-items:center;cursor:pointer;color:#0b5fd1}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 6px;border-bottom:1px solid #eef1f6;font-size:13px;overflow-wrap:anywhere}
.app{background:#111820;color:#f4f6fa;min-height:100vh}
.app .statusbar{display:flex;justify-content:space-between;padding:8px 18px;font-size:13px;color:#aeb7c6}
.app header{display:flex;align-items:center;gap:10px;padding:8px 18px 0}
.app header b{font-size:20px}
.app .mir-logo{background:#0f754e;color:#fff}
.app .sheet{padding:18px}
.app .pay-to{color:#aeb7c6;font-size:14px;margin:14px 0 0}
.app .amount{color:#fff}
.mir-card{display:flex;align-items:center;gap:14px;min-height:64px;margin:10px 0;padding:12px 14px;border-radius:14px;background:#1d2733;border:2px solid transparent;color:#f4f6fa;cursor:pointer}
.mir-card:has(input:checked){border-color:#2fbf84}
.mir-card input{width:22px;min-height:22px;margin:0;accent-color:#2fbf84}
.mir-card .chip{width:44px;height:30px;border-radius:6px;background:linear-gradient(135deg,#2fbf84,#0b5fd1);flex:none}
.mir-card small{display:block;color:#aeb7c6}
.app .button.primary{background:#2fbf84;color:#0b1a12;margin-top:18px}
.app .button.secondary{background:transparent;color:#f4f6fa;border:1px solid #3a4656}
`;
