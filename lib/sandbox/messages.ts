// The sandbox's errorMessage and actionCodeDescription texts, in the request's language, worded as
// the bank words them where we have its wording (docs/gateway-api.md §2.3, §3.3, §4, §5).
export type Lang = 'ru' | 'en';

type Text = { ru: string; en: string };

export const messages = {
  success: { ru: 'Успешно', en: 'Success' },
  accessDenied: { ru: 'Доступ запрещён', en: 'Access denied' },
  duplicateProcessed: {
    ru: 'Заказ с таким номером уже обработан',
    en: 'Order number is duplicated, order with given order number is processed already',
  },
  duplicateUnpaid: {
    ru: 'Заказ с таким номером был зарегистрирован, но не был оплачен',
    en: 'Order with given order number was registered, but was not paid',
  },
  unknownCurrency: { ru: 'Неизвестная валюта', en: 'Unknown currency' },
  invalidReturnUrl: { ru: 'Неверный адрес возврата', en: 'The return URL is invalid' },
  foreignReturnUrl: {
    ru: 'Адрес возврата должен вести на сайт магазина',
    en: "The return URL must lead to the merchant's site",
  },
  foreignCallbackUrl: {
    ru: 'Адрес для уведомлений должен вести на сайт магазина',
    en: "The callback URL must lead to the merchant's site",
  },
  orderNotFound: { ru: 'Заказ не найден', en: 'Order not found' },
  wrongOrderNumber: { ru: 'Неверный номер заказа', en: 'Wrong order number' },
  wrongState: { ru: 'Платёж должен быть в корректном состоянии', en: 'Payment must be in a correct state' },
  wrongDepositAmount: { ru: 'Неверная сумма депозита', en: 'Invalid deposit amount' },
  refundTooLarge: { ru: 'Сумма возврата превышает сумму списания', en: 'Refund amount exceeds deposited amount' },
  reverseUsed: { ru: 'Отмена уже выполнялась для этого заказа', en: 'Reversal has already been performed for this order' },
  refundItemsMismatch: {
    ru: 'Позиции возврата не соответствуют корзине заказа или сумме возврата',
    en: "Refund items do not match the order's cart or the refund amount",
  },
  externalRefundIdReused: {
    ru: 'Возврат с таким externalRefundId уже выполнен с другими данными',
    en: 'A refund with this externalRefundId was made with different data',
  },
} satisfies Record<string, Text>;

/** A method the sandbox does not emulate (decisions.ts, UNSUPPORTED_METHOD_ERROR_CODE). */
export function methodUnavailable(name: string): Text {
  return { ru: `Доступ запрещён: метод ${name} недоступен`, en: `Access denied: method ${name} is not available` };
}

export function missingParam(name: string): Text {
  return { ru: `[${name}] не задан`, en: `[${name}] is not specified` };
}

export function invalidParam(name: string): Text {
  return { ru: `Неверное значение параметра [${name}]`, en: `Invalid value of parameter [${name}]` };
}

const actionCodeTexts: Record<number, Text> = {
  [-2007]: { ru: 'Истек срок ожидания ввода данных.', en: 'The payment has expired' },
  [-2013]: { ru: 'Исчерпаны попытки оплаты', en: 'Exceeded the number of allowed payment attempts' },
  5: { ru: 'Отказ эмитента без указания причины', en: 'Declined by the issuer, reason unknown' },
  116: { ru: 'Недостаточно средств на карте', en: 'Insufficient funds on the card' },
  71015: { ru: 'Неверно введены данные карты', en: 'Some payment data is invalid' },
  4005: { ru: 'Отклонено магазином', en: 'Declined by merchant' },
};

export function actionCodeDescription(actionCode: number, lang: Lang): string {
  return actionCodeTexts[actionCode]?.[lang] ?? '';
}
