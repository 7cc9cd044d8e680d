// Delivers alerts to the merchant's webhook (ALERT_WEBHOOK_URL) from their rows: a row is claimed
// by moving its next_at past a lease before the POST, so two instances never send it both; a
// failure (no answer, not 2xx) is tried again later with a growing pause, and given up after
// MAX_TRIES (the console still lists it). Never on a shopper's or a payment's path.
//
// Formats: "json" posts { alert: { id, kind, orderId, details, createdAt, text } }; "telegram"
// posts what the Bot API's sendMessage takes ({ chat_id, text }), so the URL can be
// https://api.telegram.org/bot<token>/sendMessage.
import type { Db } from '../db/database';
import type { EventLog } from '../log/logger';
import { startPeriodic, type Periodic } from '../jobs/periodic';
import type { AlertKind } from './alerts';
import { alertMessage } from './alert-text';

export const MAX_TRIES = 10;
/** Longer than one POST may take (TIMEOUT_MS); a claim older than this is a crashed sender's. */
const LEASE_MS = 60_000;
const TIMEOUT_MS = 10_000;
const backoffMs = (tries: number) => Math.min(30 * 60_000, 5_000 * 2 ** (tries - 1));

export type AlertWebhook = {
  url: string;
  format: 'json' | 'telegram';
  /** The Telegram chat to write to (format "telegram"). */
  chatId?: string;
};

export type AlertSender = { db: Db; webhook: AlertWebhook; appUrl: string; clock?: () => number; fetch?: typeof fetch };

/** Sends every due alert once; returns how many the webhook took. */
export async function deliverAlerts(sender: AlertSender, limit = 20): Promise<number> {
  const now = sender.clock ?? Date.now;
  const post = sender.fetch ?? fetch;
  const due = await sender.db
    .selectFrom('alerts')
    .select(['id', 'next_at'])
    .where('delivery', '=', 'pending')
    .where('next_at', '<=', now())
    .orderBy('next_at')
    .limit(limit)
    .execute();
  let delivered = 0;
  for (const row of due) {
    const claimed = await sender.db
      .updateTable('alerts')
      .set({ next_at: now() + LEASE_MS })
      .where('id', '=', row.id)
      .where('delivery', '=', 'pending')
      .where('next_at', '=', row.next_at)
      .returningAll()
      .executeTakeFirst();
    if (!claimed) continue;
    const alert = {
      id: Number(claimed.id),
      kind: claimed.kind as AlertKind,
      orderId: claimed.order_id,
      details: JSON.parse(claimed.details_json) as Record<string, unknown>,
      createdAt: new Date(Number(claimed.created_at)).toISOString(),
    };
    const text = alertMessage(alert, sender.appUrl);
    const body =
      sender.webhook.format === 'telegram'
        ? { chat_id: sender.webhook.chatId, text, disable_web_page_preview: true }
        : { alert: { ...alert, text } };
    try {
      const response = await post(sender.webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'error',
      });
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      await sender.db
        .updateTable('alerts')
        .set({ delivery: 'sent', delivered_at: now(), last_error: null })
        .where('id', '=', row.id)
        .execute();
      delivered += 1;
    } catch (error) {
      const tries = claimed.tries + 1;
      await sender.db
        .updateTable('alerts')
        .set({
          tries,
          delivery: tries >= MAX_TRIES ? 'failed' : 'pending',
          next_at: now() + backoffMs(tries),
          last_error: (error instanceof Error ? error.message : String(error)).slice(0, 300),
        })
        .where('id', '=', row.id)
        .execute();
    }
  }
  return delivered;
}

/** Delivers every `intervalMs` in the background. */
export function startAlertSender(sender: AlertSender, intervalMs: number, log: EventLog): Periodic {
  return startPeriodic(
    'alert.delivery',
    async () => {
      const delivered = await deliverAlerts(sender);
      if (delivered > 0) log('alert.delivered', { count: delivered });
    },
    intervalMs,
    log,
  );
}
