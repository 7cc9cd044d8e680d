// The audit log's stored codes (lib/console: "capture", "done 314000", "forbidden (viewer)") in the
// console's language for the page; the CSV export keeps the codes, for scripts and spreadsheets.
import { formatRub } from '@/lib/money';
import type { MerchantTexts } from '../_texts';

type Row = { action: string; subject: string | null; outcome: string };

export function auditWords(row: Row, t: MerchantTexts, lang: 'ru' | 'en'): { action: string; subject: string; outcome: string } {
  return { action: t.auditActions[row.action] ?? row.action, subject: subjectWords(row, t), outcome: outcomeWords(row.outcome, t, lang) };
}

function subjectWords({ action, subject }: Row, t: MerchantTexts): string {
  if (subject === null) return '';
  if (action === 'capture-mode') return subject === 'manual' ? t.captureManual : subject === 'on-return' ? t.captureOnReturn : subject;
  const policy = /^(alert|capture|cancel) (\d+)d$/.exec(subject);
  if (action === 'hold-policy' && policy) return t.auditHoldPolicy(t.holdActions[policy[1]!] ?? policy[1]!, policy[2]!);
  const alert = /^alert (\d+)$/.exec(subject);
  if (alert) return t.auditAlert(alert[1]!);
  const user = /^(.+) \((owner|operator|viewer)\)$/.exec(subject);
  if (user) return `${user[1]} (${t.roles[user[2]!]})`;
  return subject;
}

function outcomeWords(outcome: string, t: MerchantTexts, lang: 'ru' | 'en'): string {
  const done = /^done (\d+)$/.exec(outcome);
  if (done) return `${t.auditOutcomes.done}, ${formatRub(Number(done[1]), lang)}`;
  const refused = /^refused: (.+)$/.exec(outcome);
  if (refused) return `${t.auditRefused}: ${(t.refusals as Record<string, string>)[refused[1]!] ?? refused[1]}`;
  const forbidden = /^forbidden \((.+)\)$/.exec(outcome);
  if (forbidden) return t.auditForbidden(t.roles[forbidden[1]!] ?? forbidden[1]!);
  return t.auditOutcomes[outcome] ?? outcome;
}
