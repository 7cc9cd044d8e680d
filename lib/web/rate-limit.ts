// A sliding-window rate limiter in memory: enough for one server process. (With several
// instances each counts alone, so a client gets up to N × the limit; see the README.)
export type Limit = { max: number; windowMs: number };
export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function createRateLimiter(limit: Limit, now: () => number = Date.now) {
  const hits = new Map<string, number[]>();
  let lastSweep = now();

  function sweep(at: number) {
    // Forget idle keys once per window, so memory stays bounded by the active clients.
    if (at - lastSweep < limit.windowMs) return;
    lastSweep = at;
    for (const [key, times] of hits) if (times.at(-1)! <= at - limit.windowMs) hits.delete(key);
  }

  return {
    /** Counts one hit for `key` unless it is over the limit. */
    hit(key: string): Verdict {
      const at = now();
      sweep(at);
      const recent = (hits.get(key) ?? []).filter((t) => t > at - limit.windowMs);
      if (recent.length >= limit.max) {
        hits.set(key, recent);
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + limit.windowMs - at) / 1000)) };
      }
      recent.push(at);
      hits.set(key, recent);
      return { allowed: true };
    },
  };
}
