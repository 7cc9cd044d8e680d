'use client';
// "Find my orders": one e-mail field. useActionState keeps the typed address and its error after a
// failed submit and still works as a plain form post without JavaScript. After a request the form
// says the same neutral sentence whatever the address (only a refusal by the limits differs).
import { useActionState } from 'react';
import field from '@/app/_components/field.module.css';
import ui from '@/app/_components/ui.module.css';
import { SubmitButton } from '@/app/_components/submit-button';
import type { MyOrdersTexts } from '@/app/_i18n/texts';
import { findOrdersAction } from './actions';
import { EMPTY_FIND_STATE } from './state';
import styles from './page.module.css';

export function FindOrdersForm({ t }: { t: MyOrdersTexts }) {
  const [state, formAction] = useActionState(findOrdersAction, EMPTY_FIND_STATE);
  const message = state.outcome === 'sent' ? t.sent : state.outcome === 'rate-limited' ? t.rateLimited : '';
  return (
    <form action={formAction} noValidate className={styles.find} data-testid="find-orders-form">
      <label htmlFor="find-email" className={field.label}>
        {t.email}
      </label>
      <input
        id="find-email"
        name="email"
        type="email"
        inputMode="email"
        autoComplete="email"
        defaultValue={state.email}
        key={`${state.email}|${state.error ?? ''}|${state.outcome ?? ''}`}
        aria-invalid={state.error ? true : undefined}
        aria-describedby="find-email-error"
        className={field.input}
      />
      <p id="find-email-error" className={styles.error} aria-live="polite">
        {state.error ? t.errors[state.error] : ''}
      </p>
      <SubmitButton className={`${ui.button} ${ui.primary} ${ui.block}`} pendingText={t.pending}>
        {t.send}
      </SubmitButton>
      <p role="status" className={state.outcome === 'rate-limited' ? styles.refused : styles.sent} data-testid="find-orders-result">
        {message}
      </p>
    </form>
  );
}
