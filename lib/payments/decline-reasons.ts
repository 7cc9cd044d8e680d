// Why a payment was declined, in categories a shopper can act on, from the gateway's actionCode
// (docs/gateway-api.md §3.3). The app words each category in Russian and English.
export type DeclineReason =
  | 'insufficient-funds'
  | 'card-expired'
  | 'limit-exceeded'
  | 'wrong-card-data'
  | 'too-many-attempts'
  | 'authentication-failed'
  | 'bank-unavailable'
  | 'declined';

const byActionCode: Record<number, DeclineReason> = {
  20: 'insufficient-funds',
  116: 'insufficient-funds',
  101: 'card-expired',
  121: 'limit-exceeded',
  123: 'limit-exceeded',
  902: 'limit-exceeded',
  903: 'limit-exceeded',
  [-20010]: 'limit-exceeded',
  82: 'wrong-card-data',
  88: 'wrong-card-data',
  111: 'wrong-card-data',
  125: 'wrong-card-data',
  71015: 'wrong-card-data',
  [-2013]: 'too-many-attempts',
  [-2006]: 'authentication-failed',
  [-2009]: 'authentication-failed',
  [-2018]: 'authentication-failed',
  [-2023]: 'authentication-failed',
  [-2025]: 'authentication-failed',
  [-2026]: 'authentication-failed',
  151017: 'authentication-failed',
  907: 'bank-unavailable',
  151018: 'bank-unavailable',
  151019: 'bank-unavailable',
};

/** Any code not listed (including fraud suspicion, 999) is a plain "declined by the bank". */
export function declineReasonOf(actionCode: number | null): DeclineReason {
  return (actionCode !== null && byActionCode[actionCode]) || 'declined';
}
