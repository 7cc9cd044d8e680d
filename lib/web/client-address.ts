// Who a request comes from, for rate limits and the login throttle: the rightmost
// X-Forwarded-For entry, the one the nearest proxy (or Next itself) added, so a client cannot
// pick its own by sending the header.
export function clientAddressOf(forwardedFor: string | null): string {
  return forwardedFor?.split(',').at(-1)?.trim() || 'unknown';
}
