// A page with nothing to show (an empty cart, an unknown product or order): what happened, a hint,
// and the way back to the catalogue (and any other way on the page offers).
import { IntentLink } from './intent-link';
import type { ReactNode } from 'react';
import ui from './ui.module.css';

type Props = { title: string; lead?: { text: string; testId: string }; hint: string; linkText: string; children?: ReactNode };

export function EmptyState({ title, lead, hint, linkText, children }: Props) {
  return (
    <main>
      <h1 className={ui.title}>{title}</h1>
      {lead && (
        <p className={ui.lead} data-testid={lead.testId}>
          {lead.text}
        </p>
      )}
      <p className={ui.muted}>{hint}</p>
      <IntentLink href="/" className={`${ui.button} ${ui.primary}`}>
        {linkText}
      </IntentLink>
      {children}
    </main>
  );
}
