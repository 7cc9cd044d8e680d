// An alert in words, for the console and for the webhook's message (Telegram shows only text).
import type { AlertKind } from './alerts';

export type AlertLang = 'ru' | 'en';

const TITLES: Record<AlertLang, Record<AlertKind, string>> = {
  ru: {
    'hold-ageing': 'Холд не списан, срок банка подходит',
    'amount-mismatch': 'Сумма или валюта в банке не совпадает с заказом',
    'status-unknown': 'Банк ответил непонятным состоянием платежа',
    'paid-twice': 'Заказ оплачен дважды: лишний платёж возвращается',
    'callbacks-refused': 'Уведомления банка отклоняются',
    'reconciler-error': 'Сверка с банком не удалась',
  },
  en: {
    'hold-ageing': 'A hold not captured, its deadline nears',
    'amount-mismatch': "The bank's amount or currency differs from the order's",
    'status-unknown': 'The bank answered a payment state the shop cannot read',
    'paid-twice': 'An order paid twice: the extra payment is being given back',
    'callbacks-refused': "The bank's notifications are being refused",
    'reconciler-error': 'Reconciling with the bank failed',
  },
};

export function alertTitle(kind: AlertKind, lang: AlertLang): string {
  return TITLES[lang][kind] ?? kind;
}

/** The details' names, as the shop's code stores them, in words; an unknown name is shown as stored. */
const DETAIL_NAMES: Record<AlertLang, Record<string, string>> = {
  ru: {
    heldDays: 'дней в холде',
    error: 'ошибка',
    firstVerdict: 'первый отказ',
    orderStatus: 'состояние в банке (orderStatus)',
    state: 'вывод',
    actionCode: 'код ответа (actionCode)',
    approvedAmount: 'заблокировано, коп.',
    depositedAmount: 'списано, коп.',
    refundedAmount: 'возвращено, коп.',
    reason: 'причина',
    attempt: 'попытка',
    extraAttempt: 'лишняя попытка',
    keptAttempt: 'оставленная попытка',
  },
  en: {
    heldDays: 'days held',
    firstVerdict: 'first refusal',
    approvedAmount: 'held, kopecks',
    depositedAmount: 'captured, kopecks',
    refundedAmount: 'refunded, kopecks',
  },
};

/** Stored values that are words of the shop's own (not the bank's messages), in Russian. */
const RU_VALUES: Record<string, string> = {
  'duplicate payment': 'повторная оплата',
  'orderNumber differs': 'orderNumber не тот',
  mismatch: 'суммы не совпадают',
  unknown: 'не распознано',
};

/** The details as "name: value" pairs, in a stable order, for a line of text in `lang`. */
export function detailsLine(details: Record<string, unknown>, lang: AlertLang = 'ru'): string {
  return Object.entries(details)
    .map(([name, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return `${DETAIL_NAMES[lang][name] ?? name}: ${lang === 'ru' ? (RU_VALUES[text] ?? text) : text}`;
    })
    .join(', ');
}

/** One message: the title, the details, and where to look (the order in the console). */
export function alertMessage(
  alert: { kind: AlertKind; orderId: string | null; details: Record<string, unknown> },
  appUrl: string,
  lang: AlertLang = 'ru',
): string {
  const lines = [`⚠️ ${alertTitle(alert.kind, lang)}`];
  const details = detailsLine(alert.details, lang);
  if (details) lines.push(details);
  if (alert.orderId) lines.push(`${appUrl}/merchant/orders/${encodeURIComponent(alert.orderId)}`);
  return lines.join('\n');
}
