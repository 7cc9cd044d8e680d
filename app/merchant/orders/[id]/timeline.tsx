// The order's timeline: one line per event in the console's language (what happened, in words),
// the payment flow's step number first, the gateway method and the masked request and response of
// each call behind a <details> for whoever checks it against the bank's documentation.
import type { TimelineEntry } from '@/lib/console/timeline';
import { formatRub } from '@/lib/money';
import type { MerchantTexts } from '../../_texts';
import { formatMoment } from '../../_format';
import styles from '../../console.module.css';

export function Timeline({ entries, lang, t }: { entries: TimelineEntry[]; lang: 'ru' | 'en'; t: MerchantTexts }) {
  return (
    <ol className={styles.timeline} data-testid="timeline">
      {entries.map((entry, index) => (
        <li
          key={index}
          data-testid="timeline-entry"
          data-kind={entry.kind}
          data-step={'step' in entry && entry.step !== null ? String(entry.step) : ''}
        >
          <span className={`${styles.step} ${'step' in entry && entry.step !== null ? '' : styles.noStep}`}>
            {'step' in entry && entry.step !== null ? t.step(String(entry.step)) : '·'}
          </span>
          <span className={styles.when}>{formatMoment(entry.at, lang)}</span>
          <Line entry={entry} lang={lang} t={t} />
        </li>
      ))}
    </ol>
  );
}

function Line({ entry, lang, t }: { entry: TimelineEntry; lang: 'ru' | 'en'; t: MerchantTexts }) {
  switch (entry.kind) {
    case 'order':
      return <>{t.orderPlaced}</>;
    case 'gateway':
      return (
        <>
          <strong>{callName(entry, t)}</strong> · {t.outcomes[entry.outcome] ?? entry.outcome} ·{' '}
          <code data-testid="gateway-operation">{entry.operation}</code>
          {entry.errorCode !== null && ` · errorCode ${entry.errorCode}`}
          {entry.httpStatus !== null && entry.httpStatus !== 200 && ` · HTTP ${entry.httpStatus}`} · {t.milliseconds(entry.durationMs)}
          {entry.error && ` · ${entry.error}`}
          <details>
            <summary>{t.request}</summary>
            <pre className={styles.json}>{entry.request}</pre>
            {entry.response && <pre className={styles.json}>{entry.response}</pre>}
          </details>
        </>
      );
    case 'callback':
      // A refused notification keeps only its verdict and size, nothing of what it claimed.
      return entry.operation === null && entry.status === null && entry.bytes !== null ? (
        <>
          {t.callbackReceived}: <strong>{t.verdicts[entry.verdict] ?? entry.verdict}</strong> · {t.bytes(entry.bytes)}
        </>
      ) : (
        <>
          {t.callbackReceived}: {words(t.callbackOperations, entry.operation)} · {words(t.callbackStatuses, entry.status)} ·{' '}
          <strong>{t.verdicts[entry.verdict] ?? entry.verdict}</strong>
        </>
      );
    case 'state':
      return (
        <>
          {stateName(entry.from, t)} → <strong>{stateName(entry.to, t)}</strong> · {t.causes[entry.cause] ?? entry.cause}
        </>
      );
    case 'merchant':
      return (
        <>
          {entry.reason ? t.shopOperation : t.merchantOperation}: {words(t.operationKinds, entry.operation)}{' '}
          {entry.operation !== 'cancel' && formatRub(entry.amount, lang)} · <strong>{words(t.operationStates, entry.state)}</strong>
          {entry.reason && ` · ${reasonWords(entry.reason, t)}`}
          {entry.error && ` · ${entry.error}`}
        </>
      );
  }
}

/** The call in words; a status read right after a deposit (step 11) says so. */
function callName(entry: Extract<TimelineEntry, { kind: 'gateway' }>, t: MerchantTexts): string {
  const method = entry.operation.replace(/\.do$/, '');
  return (entry.step === 11 ? t.gatewayCalls.statusAfterDeposit : t.gatewayCalls[method]) ?? entry.operation;
}

function stateName(state: string, t: MerchantTexts): string {
  return (t.attemptStates as Record<string, string>)[state] ?? state;
}

/** A value in words, or as the bank sent it when it is not one we know ("?" when absent). */
function words(names: Record<string, string>, value: string | null): string {
  return value === null ? '?' : (names[value] ?? value);
}

/** The stored reason (written in English by lib/payments) in the console's language; an unknown one as stored. */
function reasonWords(reason: string, t: MerchantTexts): string {
  const policy = /^hold policy: (capture|cancel) (\d+) d before/.exec(reason);
  if (policy) return t.holdPolicyReason(policy[1]!, policy[2]!);
  const duplicate = /^duplicate payment: attempt (\d+) kept/.exec(reason);
  if (duplicate) return t.duplicateReason(duplicate[1]!);
  return reason;
}
