// The hosted payment page (docs/gateway-api.md §6, §7): amount, merchant, description, a session
// countdown, the Mir Pay button on Android only, and a card form for the test cards.
import { testCards } from '../cards';
import { ActionCode, OrderStatus } from '../decisions';
import type { Lang } from '../messages';
import type { SandboxOrder } from '../store';
import { document, formatRub, html, type Html } from './html';
import { textsFor, type PageTexts } from './texts';

export type PaymentPageModel = {
  order: SandboxOrder;
  lang: Lang;
  merchantName: string;
  now: number;
  /** The universal link to the Mir Pay app; undefined when the device is not Android. */
  mirPayLink: string | undefined;
  /** The other language's page URL. */
  otherLangUrl: string;
  notice?: { kind: 'error' | 'info'; text: string };
};

// Counts down from the server's remaining seconds; the server decides expiry, this only informs.
const COUNTDOWN_SCRIPT =
  "(function(){var e=document.getElementById('countdown');if(!e)return;var s=+e.dataset.seconds;function t(){var m=Math.floor(s/60),r=s%60;e.textContent=m+':'+(r<10?'0':'')+r;if(s>0){s--;setTimeout(t,1000)}else{location.reload()}}t()})()";

export function renderPaymentPage(model: PaymentPageModel): Html {
  const { order, lang } = model;
  const t = textsFor(lang);
  const amount = formatRub(order.amount, lang);
  const seconds = Math.max(0, Math.floor((order.expires_at - model.now) / 1000));
  const body = html`<div class="banner">${t.banner}</div>
    <main class="sheet">
      <div class="card">
        <div class="top">
          <span class="merchant">${model.merchantName}</span
          ><span class="lang"
            ><a href="${model.otherLangUrl}" hreflang="${lang === 'ru' ? 'en' : 'ru'}">${lang === 'ru' ? 'EN' : 'RU'}</a></span
          >
        </div>
        <h1>${t.title}</h1>
        <p class="muted">${t.orderNo} ${order.order_number}</p>
        <p class="amount" data-testid="amount">${amount}</p>
        ${order.description ? html`<p class="muted">${order.description}</p>` : ''}
        <p class="muted">${t.expiresIn} <span id="countdown" data-seconds="${seconds}">${clock(seconds)}</span></p>
        ${model.notice ? html`<div class="notice ${model.notice.kind}" role="alert">${model.notice.text}</div>` : ''}
        ${
          model.mirPayLink
            ? html`<a class="button mirpay" href="${model.mirPayLink}" data-testid="mirpay-button"
                >${t.payWithMirPay} <span class="mir-logo">Mir Pay</span></a
              >`
            : html`<p class="notice info" data-testid="mirpay-unavailable">${t.mirPayAndroidOnly}</p>`
        }
        <div class="divider">${t.orCard}</div>
        <form method="post" novalidate>
          <label
            >${t.cardNumber}<input
              name="cardnumber"
              inputmode="numeric"
              autocomplete="cc-number"
              placeholder="2200 0000 0000 0053"
              required
          /></label>
          <div class="row">
            <label
              >${t.expiry}<input name="expdate" inputmode="numeric" autocomplete="cc-exp" placeholder="${t.expiryPlaceholder}" required
            /></label>
            <label>${t.cvc}<input name="cvc" inputmode="numeric" autocomplete="cc-csc" type="password" maxlength="4" required /></label>
          </div>
          <label>${t.holder}<input name="cardholder" autocomplete="cc-name" placeholder="IVAN IVANOV" /></label>
          <button class="button primary" type="submit">${t.pay} ${amount}</button>
        </form>
        ${testCardTable(t)}
      </div>
    </main>`;
  return document({ lang, title: `${t.title} · ${model.merchantName}`, bodyClass: 'page', body, script: COUNTDOWN_SCRIPT });
}

/** What the page shows once the order can no longer be paid. */
export function renderFinalPage(options: { order: SandboxOrder; lang: Lang; merchantName: string; backUrl: string }): Html {
  const t = textsFor(options.lang);
  const { order } = options;
  const text =
    order.status === OrderStatus.deposited
      ? t.paid
      : order.status === OrderStatus.approved
        ? t.held
        : order.status === OrderStatus.reversed
          ? t.reversed
          : order.status === OrderStatus.refunded
            ? t.refunded
            : order.action_code === ActionCode.expired
              ? t.expired
              : t.declined;
  const body = html`<div class="banner">${t.banner}</div>
    <main class="sheet">
      <div class="card">
        <div class="top"><span class="merchant">${options.merchantName}</span></div>
        <h1>${t.orderNo} ${order.order_number}</h1>
        <p class="amount">${formatRub(order.amount, options.lang)}</p>
        <div class="notice info" role="status" data-testid="final-state">${text}</div>
        <a class="button primary" href="${options.backUrl}">${t.backToShop}</a>
      </div>
    </main>`;
  return document({ lang: options.lang, title: t.title, bodyClass: 'page', body });
}

export function renderMessagePage(lang: Lang, message: string, link?: { href: string; label: string }): Html {
  const t = textsFor(lang);
  const body = html`<div class="banner">${t.banner}</div>
    <main class="sheet">
      <div class="card">
        <div class="notice error" role="alert">${message}</div>
        ${link ? html`<a class="button secondary" href="${link.href}">${link.label}</a>` : ''}
      </div>
    </main>`;
  return document({ lang, title: t.title, bodyClass: 'page', body });
}

function testCardTable(t: PageTexts): Html {
  const outcomeText = (card: (typeof testCards)[number]) =>
    card.outcome.kind === 'approve'
      ? t.approve
      : card.outcome.actionCode === ActionCode.insufficientFunds
        ? t.declineFunds
        : t.declineUnknown;
  return html`<details>
    <summary>${t.testCards}</summary>
    <table>
      <thead>
        <tr>
          <th>${t.cardNumber}</th>
          <th>${t.expiry}</th>
          <th>CVC</th>
          <th>${t.outcome}</th>
        </tr>
      </thead>
      <tbody>
        ${testCards.map(
          (card) =>
            html`<tr>
              <td>${card.pan.replace(/(\d{4})(?=\d)/g, '$1 ')}</td>
              <td>${card.expiry}</td>
              <td>${card.cvc}</td>
              <td>${outcomeText(card)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </details>`;
}

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${s < 10 ? '0' : ''}${s}`;
}
