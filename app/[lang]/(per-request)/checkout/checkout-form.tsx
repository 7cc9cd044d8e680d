'use client';
// The checkout form: a plain post to "Pay" (app/checkout/pay/route.ts), the same with or without
// JavaScript. The bank's page follows, or this page again with the typed values and the errors
// (./form-cookie.ts). Each field's error sits next to it and is announced (aria-live); the first
// invalid field gets the focus.
import { useEffect, useRef, useState } from 'react';
import card from '@/app/_components/card.module.css';
import field from '@/app/_components/field.module.css';
import ui from '@/app/_components/ui.module.css';
import { SubmitButton } from '@/app/_components/submit-button';
import type { CheckoutFormTexts } from '@/app/_i18n/texts';
import type { CustomerField } from '@/lib/shop/customer';
import { DeliveryFields, type DeliveryOffer } from './delivery-fields';
import type { CheckoutFormState } from './state';
import styles from './page.module.css';

/** Where the form posts. */
const PAY_PATH = '/checkout/pay';

type Props = {
  t: CheckoutFormTexts;
  state: CheckoutFormState;
  /** Formatted on the server from the catalogue: the goods, and the totals with each delivery. */
  amounts: { goods: string; total: Record<'courier' | 'pickup', string> };
  offer: DeliveryOffer;
  /** Present only while the sandbox is on: the flow choice of the "demo settings". */
  demoFlow?: 'one-stage' | 'two-stage';
};

const fields: { name: CustomerField; type: string; autoComplete: string; inputMode?: 'tel' | 'email' }[] = [
  { name: 'name', type: 'text', autoComplete: 'name' },
  { name: 'phone', type: 'tel', autoComplete: 'tel', inputMode: 'tel' },
  { name: 'email', type: 'email', autoComplete: 'email', inputMode: 'email' },
];

export function CheckoutForm({ t, state, amounts, offer, demoFlow }: Props) {
  // The method posted last (the server renders the page with it); the radio's changes follow.
  const [method, setMethod] = useState<'courier' | 'pickup'>(state.values.delivery === 'courier' ? 'courier' : 'pickup');
  // Sent: "Pay" says so and a second tap posts nothing. Back from the bank's page, the browser may
  // show this page as it was left (its back-forward cache): "Pay" works again.
  const [sending, setSending] = useState(false);
  useEffect(() => {
    const shown = (event: PageTransitionEvent) => event.persisted && setSending(false);
    window.addEventListener('pageshow', shown);
    return () => window.removeEventListener('pageshow', shown);
  }, []);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    const invalid = formRef.current?.querySelector<HTMLInputElement>('[aria-invalid="true"]');
    if (!invalid) return;
    // The error summary first (its scroll margin keeps it clear of the sticky header); the field's
    // own focus scroll then moves the page only if the field is still out of sight.
    summaryRef.current?.scrollIntoView({ block: 'start' });
    const box = invalid.getBoundingClientRect();
    invalid.focus({ preventScroll: box.top >= 0 && box.bottom <= window.innerHeight });
  }, [state]);
  const hints: Partial<Record<CustomerField, string>> = { phone: t.phoneHint, email: t.emailHint };
  const hasErrors = Object.keys(state.errors).length > 0;

  return (
    <form
      ref={formRef}
      action={PAY_PATH}
      method="post"
      noValidate
      onSubmit={(event) => (sending ? event.preventDefault() : setSending(true))}
      className={card.card}
      data-testid="checkout-form"
    >
      <input type="hidden" name="checkoutKey" value={state.checkoutKey} />
      {state.earlier && (
        <div className={styles.failure} role="status" data-testid="earlier-order">
          <p>
            {(state.earlier.state === 'paid' ? t.earlierPaid : t.earlierProcessing).replace('{number}', state.earlier.number)}{' '}
            <a href={`/orders/${state.earlier.orderId}`}>{t.openEarlier}</a>
          </p>
          <label>
            <input type="checkbox" name="repeat" value="yes" /> {t.buyAgain}
          </label>
        </div>
      )}
      <h2 className={card.heading}>{t.contacts}</h2>
      <p ref={summaryRef} role="alert" className={styles.failure} data-testid="checkout-error">
        {state.failure ? t.failures[state.failure] : hasErrors ? t.fixFields : ''}
      </p>
      {fields.map(({ name, type, autoComplete, inputMode }) => {
        const error = state.errors[name];
        const describedBy = [hints[name] && `${name}-hint`, `${name}-error`].filter(Boolean).join(' ');
        return (
          <div key={name} className={styles.field}>
            <label htmlFor={name} className={field.label}>
              {t[name]}
            </label>
            <input
              id={name}
              name={name}
              type={type}
              inputMode={inputMode}
              autoComplete={autoComplete}
              defaultValue={state.values[name]}
              required
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy}
              className={field.input}
            />
            {hints[name] && (
              <p id={`${name}-hint`} className={styles.hint}>
                {hints[name]}
              </p>
            )}
            <p id={`${name}-error`} aria-live="polite" className={styles.error} data-testid={`${name}-error`}>
              {error ? t.errors[name][error] : ''}
            </p>
          </div>
        );
      })}
      <DeliveryFields t={t} values={state.values} errors={state.errors} offer={offer} onMethod={setMethod} />
      <dl className={styles.totals} data-testid="totals">
        <div>
          <dt>{t.goods}</dt>
          <dd className={styles.nowrap}>{amounts.goods}</dd>
        </div>
        <div>
          <dt>{t.deliveryLine}</dt>
          <dd className={styles.nowrap} data-testid="delivery-price">
            {offer[method]}
          </dd>
        </div>
        <div className={card.total}>
          <dt>{t.total}</dt>
          <dd className={styles.nowrap} data-testid="checkout-total">
            {amounts.total[method]}
          </dd>
        </div>
      </dl>
      {demoFlow && (
        <details className={styles.demo}>
          <summary>{t.demoSettings}</summary>
          <fieldset className={styles.flows}>
            <legend>{t.flowLegend}</legend>
            {(['one-stage', 'two-stage'] as const).map((flow) => (
              <label key={flow} className={styles.flow}>
                <input type="radio" name="flow" value={flow} defaultChecked={flow === demoFlow} />
                {flow === 'one-stage' ? t.oneStage : t.twoStage}
              </label>
            ))}
          </fieldset>
        </details>
      )}
      <SubmitButton pending={sending} pendingText={t.pending} className={`${ui.button} ${ui.primary} ${ui.block} ${styles.pay}`}>
        {`${t.pay} ${amounts.total[method]}`}
      </SubmitButton>
    </form>
  );
}
