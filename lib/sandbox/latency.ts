// A bank's network latency, played by the sandbox: every REST call waits `ms` (± up to `jitterMs`,
// uniformly) before it is answered. On loopback the sandbox answers in a couple of milliseconds,
// where a real gateway over the internet takes 100–300 ms; with this, a demo or a benchmark shows
// the round trips a shopper waits for. Off (0) by default.
import { setTimeout as sleep } from 'node:timers/promises';

export type Latency = Readonly<{ ms: number; jitterMs: number }>;

/** The delay of one call: `ms` ± a uniform jitter, never below 0. `random` is in [0, 1). */
export function delayOf(latency: Latency, random: () => number = Math.random): number {
  const jitter = latency.jitterMs > 0 ? (random() * 2 - 1) * latency.jitterMs : 0;
  return Math.max(0, Math.round(latency.ms + jitter));
}

/** Waits one call's delay; resolves at once when the latency is off. A request the client abandoned stops the wait. */
export async function applyLatency(latency: Latency | undefined, signal?: AbortSignal): Promise<void> {
  if (!latency) return;
  const ms = delayOf(latency);
  if (ms === 0) return;
  await sleep(ms, undefined, signal ? { signal } : undefined).catch(() => undefined);
}
