// REST bases of banks on this gateway, so GATEWAY_BANK can name one instead of a URL being copied
// by hand (docs/gateway-api.md §1.1, with its sources). Only the classic form-urlencoded protocol the
// client speaks: Sber's "ecom" API (JSON bodies) is not among them.
export const bankPresets = {
  /** Sber test (3dsec): S2 API_URI_TEST, S3 domainDebug, S7 APISandboxURI. */
  'sber-test': { url: 'https://3dsec.sberbank.ru/payment/rest/', confirmed: true },
  /** Sber production: S2, S3, S7. */
  sber: { url: 'https://securepayments.sberbank.ru/payment/rest/', confirmed: true },
  /** Alfa-Bank test: S2 ClientFactory::alfabankTest. */
  'alfa-test': { url: 'https://alfa.rbsuat.com/payment/rest/', confirmed: true },
  /** Alfa-Bank production: S2 ClientFactory::alfabank. */
  alfa: { url: 'https://pay.alfabank.ru/payment/rest/', confirmed: true },
  /** The gateway vendor's demo: S4 00-overview. */
  'bpc-demo': { url: 'https://dev.bpcbt.com/payment/rest/', confirmed: true },
  /** VTB test: seen only in a public log (docs/gateway-api.md §1.1, [SECONDARY]); unconfirmed. */
  'vtb-test': { url: 'https://web.rbsuat.com/vtb24/payment/rest/', confirmed: false },
} as const;

export type BankPreset = keyof typeof bankPresets;
export const bankPresetNames = Object.keys(bankPresets) as [BankPreset, ...BankPreset[]];
