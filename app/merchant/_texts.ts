// The merchant console's words, Russian by default and English (the shop's `lang` cookie).
import { en } from './_texts.en';
import { ru } from './_texts.ru';

export type { MerchantTexts } from './_texts.ru';

export const merchantTexts = { ru, en };
