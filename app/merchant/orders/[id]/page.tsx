// One order for the merchant: items, amounts, the customer, the gateway's status read live, the
// actions its state allows, and the timeline of everything that happened, with the payment flow's steps.
import { randomBytes } from 'node:crypto';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import ui from '@/app/_components/ui.module.css';
import { getServices } from '@/app/_server/services';
import { formatAmountInput, formatRub } from '@/lib/money';
import { allowedActions, type RefusalReason } from '@/lib/payments/merchant-operations';
import { merchantStateOf, orderDetail } from '@/lib/console/queries';
import { primaryOf } from '@/lib/payments/kept-payment';
import { moneyOf } from '@/lib/console/queries';
import { itemsOf, latestAttempt } from '@/lib/payments/orders';
import { DELIVERY_NAMES, deliveryOf, describeAddress } from '@/lib/payments/order-delivery';
import { isSecured } from '@/lib/payments/states';
import { syncAttempt } from '@/lib/payments/sync';
import { orderTimeline } from '@/lib/console/timeline';
import { refundableLines, type RefundableLine } from '@/lib/payments/refund-lines';
import { getMerchantTexts, requireMerchant } from '../../_auth';
import { formatDays, formatMoment } from '../../_format';
import { orderAction } from '../../actions';
import { allows } from '@/lib/console/roles';
import { holdDeadline } from '@/lib/payments/hold-policy';
import { getEnv } from '@/lib/env';
import styles from '../../console.module.css';
import { Timeline } from './timeline';

export const metadata: Metadata = { title: 'Merchant', robots: { index: false, follow: false } };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ done?: string; refused?: string }> };

export default async function MerchantOrder({ params, searchParams }: Props) {
  const user = await requireMerchant();
  const { id } = await params;
  const { lang, t } = await getMerchantTexts();
  const services = await getServices();
  // The shop's clock (the bank's, when the sandbox is the bank): the hold's age and deadline match what the reconciler sees.
  const now = services.shop.clock();
  const latest = await latestAttempt(services.db, id);
  if (!latest) notFound();
  // The live status, read for the merchant (a read that never deposits); it also brings our record up to date.
  let live = true;
  if (latest.gateway_order_id) {
    await syncAttempt(services.shop, latest.id, 'merchant').catch(() => {
      live = false;
    });
  }
  const { order, attempts } = (await orderDetail(services.db, id))!;
  // The order's kept payment when one is secured, else its latest attempt; money counts over all.
  const attempt = primaryOf(attempts)!;
  const money = moneyOf(attempts);
  const extras = attempts.filter(
    (other) => other.id !== attempt.id && (isSecured(other.state) || (other.deposited_amount ?? 0) > (other.refunded_amount ?? 0)),
  );
  const allowed = allowedActions(order, attempt);
  const lines = allowed.refund > 0 ? (await refundableLines(services.db, order, attempt.id)).filter((line) => line.left > 0) : [];
  const timeline = await orderTimeline(services.db, id);
  const query = await searchParams;
  const refused = query.refused as RefusalReason | undefined;
  const rub = (kopecks: number | null) => formatRub(kopecks ?? 0, lang);
  const delivery = deliveryOf(order.delivery_json);
  const state = merchantStateOf(attempt.state);

  return (
    <main className={styles.page}>
      <Link href="/merchant" className={ui.backLink}>
        {t.back}
      </Link>
      <div className={styles.bar}>
        <h1 className={ui.title}>
          {order.number}{' '}
          <span className={styles.badge} data-state={state} data-testid="merchant-state">
            {t.states[state]}
          </span>
        </h1>
        <span>
          {formatMoment(order.created_at, lang)} · {t.flows[order.flow] ?? order.flow}
        </span>
      </div>
      {query.done && t.done[query.done] && (
        <p className={styles.ok} role="status" data-testid="action-result">
          {t.done[query.done]}
        </p>
      )}
      {extras.length > 0 && (
        <p className={styles.error} role="alert" data-testid="duplicate-alert">
          {t.duplicateAlert(
            extras.map((extra) => extra.attempt_no),
            attempt.attempt_no,
          )}
        </p>
      )}
      {refused && t.refusals[refused] && (
        <p className={styles.error} role="alert" data-testid="action-result">
          {t.refusals[refused]}
        </p>
      )}
      <div className={styles.row2}>
        <section className={styles.card}>
          <h2>{t.amounts}</h2>
          {!live && <p className={styles.warn}>{t.liveUnavailable}</p>}
          <dl className={styles.amounts} data-testid="amounts">
            <dt>{t.ordered}</dt>
            <dd>{rub(order.amount)}</dd>
            <dt>{t.approved}</dt>
            <dd data-testid="approved">{rub(money.held)}</dd>
            <dt>{t.deposited}</dt>
            <dd data-testid="deposited">{rub(money.captured)}</dd>
            <dt>{t.refunded}</dt>
            <dd data-testid="refunded">{rub(money.refunded)}</dd>
          </dl>
          {attempts.length > 1 && (
            <ul className={styles.hint} data-testid="attempts">
              {attempts.map((each) => (
                <li key={each.id}>
                  {t.attemptLine(each.attempt_no, t.attemptStates[each.state], rub(each.deposited_amount), rub(each.refunded_amount))}
                </li>
              ))}
            </ul>
          )}
          <p className={styles.hint}>
            {t.liveStatus}:{' '}
            <span data-testid="live-state" data-state={attempt.state}>
              {t.attemptStates[attempt.state]}
            </span>{' '}
            · orderId {attempt.gateway_order_id ?? '—'} · orderNumber {attempt.order_number}
          </p>
          {attempt.state === 'approved' && (
            <p className={styles.warn} data-testid="hold-deadline">
              {t.holdDeadline(
                formatDays(now - attempt.updated_at, lang),
                formatMoment(holdDeadline(attempt, getEnv().holdLifetimeDays * 86_400_000), lang),
              )}
            </p>
          )}
        </section>
        <section className={styles.card}>
          <h2>{t.items}</h2>
          <ul>
            {itemsOf(order).map((item) => (
              <li key={item.slug}>
                {item.name} × {item.quantity} — {rub(item.total)}
              </li>
            ))}
            {delivery && (
              <li data-testid="merchant-delivery">
                {DELIVERY_NAMES[delivery.method][lang]} — {rub(delivery.price)}
                {delivery.method === 'courier' && <> · {describeAddress(delivery.address)}</>}
              </li>
            )}
          </ul>
          <h2>{t.customer}</h2>
          <p data-testid="customer">
            {order.customer_name} · {order.customer_phone} · {order.customer_email}
          </p>
        </section>
      </div>
      {/* Only a courtesy: the action checks the role itself (lib/console/console-actions.ts). */}
      {allows(user.role, 'money') && (
        <section className={styles.card} data-testid="actions">
          <h2>{t.actions}</h2>
          {allowed.capture > 0 && (
            <AmountForm
              lang={lang}
              orderId={order.id}
              kind="capture"
              max={allowed.capture}
              label={t.capture}
              amountLabel={t.amountRub}
              primary
            />
          )}
          {allowed.capture > 0 && <p className={styles.hint}>{t.captureHint}</p>}
          {allowed.refund > 0 && (
            <AmountForm lang={lang} orderId={order.id} kind="refund" max={allowed.refund} label={t.refund} amountLabel={t.amountRub} />
          )}
          {allowed.refund > 0 && <p className={styles.hint}>{t.refundHint(rub(allowed.refund))}</p>}
          {lines.length > 0 && <RefundLinesForm orderId={order.id} lines={lines} t={t} rub={rub} />}
          {allowed.cancel && (
            <form action={orderAction} className={styles.actionForm}>
              <input type="hidden" name="orderId" value={order.id} />
              <input type="hidden" name="kind" value="cancel" />
              <input type="hidden" name="requestKey" value={newRequestKey()} />
              <button type="submit" className={ui.button}>
                {t.cancel}
              </button>
            </form>
          )}
          {allowed.cancel && <p className={styles.hint}>{t.cancelHint}</p>}
          {!allowed.capture && !allowed.refund && !allowed.cancel && <p>{t.noActions}</p>}
        </section>
      )}
      <section className={styles.card}>
        <h2>{t.timeline}</h2>
        <Timeline entries={timeline} lang={lang} t={t} />
      </section>
    </main>
  );
}

/** A form's one-time key: the same form sent twice is one operation (lib/payments/merchant-operations.ts). */
function newRequestKey(): string {
  return randomBytes(18).toString('base64url');
}

type MerchantTexts = Awaited<ReturnType<typeof getMerchantTexts>>['t'];

/** A refund of chosen receipt lines: units per line, none chosen by default. */
function RefundLinesForm({
  orderId,
  lines,
  t,
  rub,
}: {
  orderId: string;
  lines: RefundableLine[];
  t: MerchantTexts;
  rub: (k: number) => string;
}) {
  return (
    <form action={orderAction} className={styles.linesForm} data-testid="refund-lines-form">
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="kind" value="refund-lines" />
      <input type="hidden" name="requestKey" value={newRequestKey()} />
      <fieldset>
        <legend className={styles.label}>{t.refundLines}</legend>
        <p className={styles.hint}>{t.refundLinesHint}</p>
        {lines.map((line) => (
          <label key={line.positionId} className={styles.line}>
            <input
              name={`line-${line.positionId}`}
              type="number"
              min={0}
              max={line.left}
              step={1}
              defaultValue={0}
              inputMode="numeric"
              className={styles.input}
            />
            <span>{t.refundLineLabel(line.name, rub(line.price), line.left)}</span>
          </label>
        ))}
      </fieldset>
      <button type="submit" className={ui.button}>
        {t.refundLines}
      </button>
    </form>
  );
}

type AmountFormProps = {
  orderId: string;
  kind: 'capture' | 'refund';
  max: number;
  label: string;
  amountLabel: string;
  lang: 'ru' | 'en';
  primary?: boolean;
};

/** Capture or refund: an amount in roubles, prefilled with everything available, written as the page shows amounts. */
function AmountForm({ orderId, kind, max, label, amountLabel, lang, primary }: AmountFormProps) {
  return (
    <form action={orderAction} className={styles.actionForm} data-testid={`${kind}-form`}>
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="requestKey" value={newRequestKey()} />
      <label>
        <span className={styles.label}>{amountLabel}</span>
        <input
          name="amount"
          inputMode="decimal"
          defaultValue={formatAmountInput(max, lang)}
          className={styles.input}
          aria-label={`${label}, ${amountLabel}`}
        />
      </label>
      <button type="submit" className={`${ui.button} ${primary ? ui.primary : ''}`}>
        {label}
      </button>
    </form>
  );
}
