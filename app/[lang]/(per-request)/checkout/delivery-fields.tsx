'use client';
// Courier or pickup. The address fields show only for the courier and the pickup address only
// for pickup, by CSS (:has on the checked radio), so the choice works the same without
// JavaScript; with it, `onMethod` also updates the totals and the "Pay" button.
import type { CheckoutFormTexts } from '@/app/_i18n/texts';
import type { AddressField, DeliveryErrors } from '@/lib/shop/delivery';
import type { CheckoutValues } from './state';
import styles from './page.module.css';
import card from '@/app/_components/card.module.css';
import field from '@/app/_components/field.module.css';

export type DeliveryOffer = { courier: string; pickup: string; courierRule: string; pickupAt: string };

type Props = {
  t: CheckoutFormTexts;
  values: CheckoutValues;
  errors: DeliveryErrors;
  offer: DeliveryOffer;
  onMethod: (method: 'courier' | 'pickup') => void;
};

const addressFields: { name: AddressField; autoComplete: string; optional?: boolean }[] = [
  { name: 'city', autoComplete: 'address-level2' },
  { name: 'street', autoComplete: 'address-line1' },
  { name: 'house', autoComplete: 'off' },
  { name: 'flat', autoComplete: 'address-line2', optional: true },
];

export function DeliveryFields({ t, values, errors, offer, onMethod }: Props) {
  return (
    <fieldset className={styles.delivery} data-testid="delivery">
      <legend className={`${card.heading} ${styles.legend}`}>{t.delivery}</legend>
      {(['pickup', 'courier'] as const).map((method) => (
        <label key={method} className={styles.flow}>
          <input
            type="radio"
            name="delivery"
            value={method}
            defaultChecked={values.delivery === method}
            onChange={() => onMethod(method)}
            data-testid={`delivery-${method}`}
          />
          <span>
            {method === 'courier' ? t.courier : t.pickup} — <span className={styles.nowrap}>{offer[method]}</span>
            <span className={styles.hint}>{method === 'courier' ? ` ${offer.courierRule}` : ''}</span>
          </span>
        </label>
      ))}
      <p className={`${styles.hint} ${styles.pickupOnly}`} data-testid="pickup-point">
        {offer.pickupAt}
      </p>
      <div className={styles.courierOnly}>
        {addressFields.map(({ name, autoComplete, optional }) => {
          const error = errors[name];
          return (
            <div key={name} className={styles.field}>
              <label htmlFor={name} className={field.label}>
                {t[name]}
              </label>
              <input
                id={name}
                name={name}
                type="text"
                autoComplete={autoComplete}
                defaultValue={values[name]}
                aria-invalid={error ? true : undefined}
                aria-describedby={optional ? `${name}-hint ${name}-error` : `${name}-error`}
                className={field.input}
              />
              {optional && (
                <p id={`${name}-hint`} className={styles.hint}>
                  {t.flatHint}
                </p>
              )}
              <p id={`${name}-error`} aria-live="polite" className={styles.error} data-testid={`${name}-error`}>
                {error ? t.errors[name][error] : ''}
              </p>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
