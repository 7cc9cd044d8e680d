// The simulated Mir Pay app (docs/gateway-api.md §7, payment flow steps 5–7): styled as a phone app; the shopper
// picks one of their Mir cards or cancels, and the app sends the browser back to the payment page.
import { mirPayCards } from '../cards';
import type { Lang } from '../messages';
import type { SandboxOrder } from '../store';
import { document, formatRub, html, type Html } from './html';
import { textsFor } from './texts';

export function renderMirPayApp(options: { order: SandboxOrder; lang: Lang; merchantName: string }): Html {
  const { order, lang } = options;
  const t = textsFor(lang);
  const body = html`<div class="statusbar"><span>9:41</span><span>LTE ▮▮▮</span></div>
    <header><span class="mir-logo">МИР</span><b>Mir Pay</b></header>
    <main class="sheet">
      <p class="pay-to">${t.appPayTo} «${options.merchantName}»</p>
      <p class="amount" data-testid="app-amount">${formatRub(order.amount, lang)}</p>
      <form method="post">
        <p class="pay-to">${t.chooseCard}</p>
        ${mirPayCards.map(
          (card, i) =>
            html`<label class="mir-card" data-testid="mir-card-${card.id}"
              ><input type="radio" name="card" value="${card.id}" ${i === 0 ? html`checked` : ''} /><span class="chip"></span
              ><span>${card.label[lang]}<small>•• ${card.maskedPan.slice(-4)}</small></span></label
            >`,
        )}
        <button class="button primary" type="submit" name="action" value="pay">${t.appPay} ${formatRub(order.amount, lang)}</button>
        <button class="button secondary" type="submit" name="action" value="cancel" formnovalidate>${t.appCancel}</button>
      </form>
    </main>`;
  return document({ lang, title: 'Mir Pay', bodyClass: 'app', body });
}
