'use client';
// A submit button that is disabled and says so while its form is being sent, so a second tap
// cannot post again. Without JavaScript it is a plain submit button.
import { useFormStatus } from 'react-dom';
import type { ReactNode } from 'react';

export function SubmitButton({ children, pendingText, className }: { children: ReactNode; pendingText: string; className?: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} aria-disabled={pending} className={className} data-testid="submit">
      {pending ? pendingText : children}
    </button>
  );
}
