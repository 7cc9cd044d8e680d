// The sandbox's API secrets, shown to the signed-in merchant only (they are generated per
// deployment on a public APP_URL, so this is the one place to read them).
import type { SandboxApi } from '@/app/_server/services';
import type { MerchantTexts } from './_texts';
import styles from './console.module.css';

export function SandboxApiSection({ api, t }: { api: SandboxApi; t: MerchantTexts }) {
  const rows: [string, string][] = [
    [t.restUrl, api.restUrl],
    ...('token' in api.credentials
      ? ([[t.apiToken, api.credentials.token]] as [string, string][])
      : ([
          [t.apiUserName, api.credentials.userName],
          [t.apiPassword, api.credentials.password],
        ] as [string, string][])),
    // With the asymmetric checksum the sandbox signs with its RSA key; this is what the bank would hand over.
    ...(api.callbackPublicKey
      ? ([[t.callbackPublicKey, api.callbackPublicKey]] as [string, string][])
      : ([[t.callbackKey, api.callbackKey]] as [string, string][])),
  ];
  return (
    <section className={styles.stat} data-testid="sandbox-api" aria-labelledby="sandbox-api-title">
      <h2 id="sandbox-api-title">{t.sandboxApi}</h2>
      <p>{t.sandboxApiHint}</p>
      <dl>
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd className={styles.breakAnywhere}>
              <code>{value}</code>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
