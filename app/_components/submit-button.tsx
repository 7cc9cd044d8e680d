'use client';
// A submit button that is disabled and says so while its form is being sent, so a second tap
// cannot post again. Without JavaScript it is a plain submit button. A form posted by the browser
// itself (no action function) says when it is being sent: `pending`.
import { useFormStatus } from 'react-dom';
import type { ReactNode } from 'react';

type Props = { children: ReactNode; pendingText: string; className?: string; pending?: boolean };

export function SubmitButton({ children, pendingText, className, pending: sent }: Props) {
  const pending = useFormStatus().pending || sent === true;
  return (
    <button type="submit" disabled={pending} aria-disabled={pending} className={className} data-testid="submit">
      {pending ? pendingText : children}
    </button>
  );
}
