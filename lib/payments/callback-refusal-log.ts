// Refused callback notifications in the log: counted, and written as one line per period, e.g.
// {"event":"callback.refused","counts":{"unsigned":998,"forged":2},"sinceMs":60000}: the counts of
// refusals since `sinceMs` ago. The first refusal after a quiet period is written at once (an
// operator sees an attack begin); the next line comes at most once a period, so a flood of junk
// requests cannot flood the log. Nothing of a notification is logged but its verdict.
import { hourOf, raiseAlert } from '../alerts/alerts';
import type { EventLog } from '../log/logger';
import type { ShopContext } from './context';
export const REFUSAL_LOG_INTERVAL_MS = 60_000;

type Tally = {
  counts: Record<string, number>;
  pending: number;
  /** When the period the counts cover began (the previous line, or the first refusal). */
  since: number | undefined;
  lastLineAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
};

// One tally per log in this process: the server writes to its logger, tests pass their own.
const tallies = new WeakMap<EventLog, Tally>();

export type RefusalLogDeps = Pick<ShopContext, 'clock' | 'log'>;

export function countRefusal(ctx: RefusalLogDeps, verdict: string, intervalMs = REFUSAL_LOG_INTERVAL_MS): void {
  const now = ctx.clock;
  const log = ctx.log;
  const tally = tallies.get(log) ?? { counts: {}, pending: 0, since: undefined, lastLineAt: Number.NEGATIVE_INFINITY, timer: undefined };
  tallies.set(log, tally);
  const at = now();
  tally.since ??= at;
  tally.counts[verdict] = (tally.counts[verdict] ?? 0) + 1;
  tally.pending++;
  if (at - tally.lastLineAt >= intervalMs) return write(tally, at, log);
  // The rest of this period's refusals go out together when it ends; the timer never keeps the
  // process alive (at exit, at most one period's counts are lost).
  tally.timer ??= setTimeout(() => write(tally, now(), log), tally.lastLineAt + intervalMs - at);
  tally.timer.unref?.();
}

function write(tally: Tally, at: number, log: EventLog) {
  if (tally.timer) clearTimeout(tally.timer);
  tally.timer = undefined;
  if (tally.pending === 0) return;
  log('callback.refused', { counts: tally.counts, sinceMs: at - (tally.since ?? at) }, 'warn');
  tally.counts = {};
  tally.pending = 0;
  tally.since = at;
  tally.lastLineAt = at;
}

// The hour this process last raised the refusals' alert in: a flood of junk notifications costs
// one alert row an hour, not one database write each.
let alertedHour: string | undefined;

/** Refused notifications need a person (an attack, or a wrong CALLBACK_KEY): one alert an hour. */
export async function alertRefusals(
  ctx: RefusalLogDeps & Pick<ShopContext, 'db'> & Partial<Pick<ShopContext, 'alertWebhook'>>,
  at: number,
  verdict: string,
) {
  const hour = hourOf(at);
  if (alertedHour === hour) return;
  alertedHour = hour;
  await raiseAlert(
    { ...ctx, alertWebhook: ctx.alertWebhook ?? false },
    { kind: 'callbacks-refused', key: hour, details: { firstVerdict: verdict } },
  );
}
