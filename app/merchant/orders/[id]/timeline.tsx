// The order's timeline: one line per event, the seed's step number first, the masked request and
// response of each gateway call behind a <details>.
import type { TimelineEntry } from '@/lib/console/timeline';
import { formatRub } from '@/lib/money';
import type { MerchantTexts } from '../../_texts';
import { formatMoment } from '../../_format';
import styles from '../../console.module.css';

export function Timeline({ entries, lang, t }: { entries: TimelineEntry[]; lang: 'ru' | 'en'; t: MerchantTexts }) {
  return (
    <ol className={styles.timeline} data-testid="timeline">
      {entries.map((entry, index) => (
        <li key={index} data-testid="timeline-entry" data-kind={entry.kind} data-step={'step' in entry && entry.step !== null ? String(entry.step) : ''}>
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
          <strong data-testid="gateway-operation">{entry.operation}</strong> · {entry.outcome}
          {entry.errorCode !== null && ` · errorCode ${entry.errorCode}`}
          {entry.httpStatus !== null && entry.httpStatus !== 200 && ` · HTTP ${entry.httpStatus}`} · {entry.durationMs} ms
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
          {t.callbackReceived}: <strong>{entry.verdict}</strong> · {t.bytes(entry.bytes)}
        </>
      ) : (
        <>
          {t.callbackReceived}: {entry.operation ?? '?'} · status {entry.status ?? '?'} · <strong>{entry.verdict}</strong>
        </>
      );
    case 'state':
      return (
        <>
          {entry.from} → <strong>{entry.to}</strong> · {t.causes[entry.cause] ?? entry.cause}
        </>
      );
    case 'merchant':
      return (
        <>
          {entry.reason ? t.shopOperation : t.merchantOperation}: {entry.operation} {entry.operation !== 'cancel' && formatRub(entry.amount, lang)} · <strong>{entry.state}</strong>
          {entry.reason && ` · ${entry.reason}`}
          {entry.error && ` · ${entry.error}`}
        </>
      );
  }
}
