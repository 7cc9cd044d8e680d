// Reading one cookie from a Cookie header or document.cookie ("lang=en; cart_count=3"): the same
// few lines for the server and for client components, which cannot use Next's cookie store.

export function cookieIn(cookies: string, name: string): string | undefined {
  for (const pair of cookies.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** The header without the named cookies (each pair kept as sent). */
export function withoutCookies(cookies: string, names: readonly string[]): string {
  return cookies
    .split(';')
    .filter((pair) => !names.includes(pair.slice(0, Math.max(0, pair.indexOf('='))).trim()))
    .map((pair) => pair.trim())
    .filter(Boolean)
    .join('; ');
}
