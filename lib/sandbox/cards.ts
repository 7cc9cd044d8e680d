// Deterministic outcomes by card (README: "Test cards"). Card numbers are the BPC sandbox's where
// they exist (docs/gateway-api.md §9); the Mir cards are ours.
import { ActionCode } from './decisions';

export type Outcome = { kind: 'approve' } | { kind: 'decline'; actionCode: number };

export type TestCard = {
  pan: string;
  expiry: string; // MM/YY
  cvc: string;
  paymentSystem: 'MIR' | 'VISA' | 'MASTERCARD';
  outcome: Outcome;
};

export const testCards: readonly TestCard[] = [
  { pan: '2200000000000053', expiry: '12/34', cvc: '123', paymentSystem: 'MIR', outcome: { kind: 'approve' } },
  { pan: '4111111111111111', expiry: '12/34', cvc: '123', paymentSystem: 'VISA', outcome: { kind: 'approve' } },
  { pan: '5555555555555599', expiry: '12/34', cvc: '123', paymentSystem: 'MASTERCARD', outcome: { kind: 'approve' } },
  {
    pan: '2200000000000004',
    expiry: '12/34',
    cvc: '123',
    paymentSystem: 'MIR',
    outcome: { kind: 'decline', actionCode: ActionCode.insufficientFunds },
  },
  {
    pan: '5168494895055780',
    expiry: '12/34',
    cvc: '123',
    paymentSystem: 'MASTERCARD',
    outcome: { kind: 'decline', actionCode: ActionCode.declinedUnknown },
  },
];

export type MirPayCard = {
  id: string;
  label: { ru: string; en: string };
  maskedPan: string;
  expiration: string; // YYYYMM, as in cardAuthInfo
  outcome: Outcome;
};

/** The cards the simulated Mir Pay app offers. maskedPan stands for the token (TAN), docs/gateway-api.md §7. */
export const mirPayCards: readonly MirPayCard[] = [
  {
    id: 'mir-0047',
    label: { ru: 'Мир Дебетовая', en: 'Mir Debit' },
    maskedPan: '220138**0047',
    expiration: '203412',
    outcome: { kind: 'approve' },
  },
  {
    id: 'mir-2026',
    label: { ru: 'Мир Кредитная', en: 'Mir Credit' },
    maskedPan: '220000**2026',
    expiration: '203206',
    outcome: { kind: 'approve' },
  },
  {
    id: 'mir-1119',
    label: { ru: 'Мир Зарплатная (нет средств)', en: 'Mir Salary (no funds)' },
    maskedPan: '220000**1119',
    expiration: '203001',
    outcome: { kind: 'decline', actionCode: ActionCode.insufficientFunds },
  },
];

export function findTestCard(pan: string): TestCard | undefined {
  return testCards.find((card) => card.pan === pan);
}

export function findMirPayCard(id: string): MirPayCard | undefined {
  return mirPayCards.find((card) => card.id === id);
}

export function maskPanForStatus(pan: string): string {
  return `${pan.slice(0, 6)}**${pan.slice(-4)}`;
}
