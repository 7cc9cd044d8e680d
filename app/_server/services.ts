// The server's long-lived services, built once per process from the environment, with the work
// that runs in the background: the reconciler, the mail outbox's sender and, with the sandbox on,
// its callback dispatcher.
// Kept on globalThis so that dev-mode module reloads do not open a second database.
import 'server-only';
import { getEnv } from '@/lib/env';
import type { Db } from '@/lib/db/database';
import { postgresPoolOf } from '@/lib/db/postgres';
import type { CallbackSecret } from '@/lib/gateway/checksum';
import type { GatewayAuth, GatewayClient } from '@/lib/gateway/client';
import { createSandbox, type Sandbox } from '@/lib/sandbox/handler';
import { openSandboxTables } from '@/lib/sandbox/migrations';
import type { PaymentFlow } from '@/lib/shop/checkout';
import type { ShopContext } from '@/lib/payments/context';
import { openHolds } from '@/lib/payments/holds';
import { startReconciler } from '@/lib/payments/reconciler';
import { watchHolds } from '@/lib/metrics/metrics';
import { openShop, reconcilerOptionsOf } from '@/lib/payments/runtime';
import { callbackSecretOf } from '@/lib/payments/secrets';
import { clientAddressOf } from '@/lib/web/client-address';
import { onShutdown } from '@/lib/web/graceful-shutdown';
import {
  createCheckoutLimits,
  createFindOrdersLimits,
  createLoginThrottle,
  type CheckoutLimits,
  type FindOrdersThrottle,
  type LimitStore,
  type LoginThrottle,
} from '@/lib/web/abuse-limits';
import { generatedSecret } from '@/lib/db/generated-secrets';
import { randomBytes } from 'node:crypto';
import { catcherTransport } from '@/lib/mail/catcher';
import { smtpTransport, startOutboxSender } from '@/lib/mail/outbox-sender';
import { startAlertSender } from '@/lib/alerts/webhook';
import { controlAccess } from './sandbox-control-access';

/** How often the outbox is drained: an e-mail goes out within seconds of the payment. */
const MAIL_INTERVAL_MS = 5000;
/** How often owed alerts are posted to the webhook. */
const ALERT_INTERVAL_MS = 5000;

/** What the merchant console shows of the sandbox's API while it is on (the "Sandbox API" section). */
export type SandboxApi = Readonly<{
  restUrl: string;
  credentials: GatewayAuth;
  callbackKey: string;
  callbackPublicKey: string | undefined;
}>;

type Services = {
  db: Db;
  gateway: GatewayClient;
  sandbox: Sandbox | undefined;
  /** What lib/shop's payment logic works with. */
  shop: ShopContext;
  paymentFlow: PaymentFlow;
  /** "Pay" per client and cart, "find my orders", and the console's log-in throttle: shared by all instances on PostgreSQL. */
  limits: { checkout: CheckoutLimits; findOrders: FindOrdersThrottle; login: LoginThrottle };
  /** Signs the cookie list of this browser's orders (app/_server/recent-orders-cookie.ts): generated once, kept in the database. */
  recentOrdersKey: string;
  /** What the callback route checks notifications with: the shared key or the RSA public key. */
  callbackKey: CallbackSecret | undefined;
  sandboxApi: SandboxApi | undefined;
  /** The credentials the gateway client signs with, for the readiness check. */
  gatewayAuth: GatewayAuth;
};

const holder = globalThis as typeof globalThis & { __shopServices?: Promise<Services> };

export function getServices(): Promise<Services> {
  holder.__shopServices ??= build();
  return holder.__shopServices;
}

async function build(): Promise<Services> {
  const env = getEnv();
  const { secrets, ...opened } = await openShop(env);
  const sandbox = env.sandbox.enabled
    ? createSandbox({
        db: await openSandboxTables(opened.db),
        merchant: env.sandbox.merchant,
        merchantName: env.sandbox.merchantName,
        credentials: secrets.sandboxCredentials,
        publicUrl: env.appUrl,
        callbacks: { ...env.sandbox.callback, key: secrets.sandboxCallbackKey, rsaPrivateKey: secrets.sandboxCallbackRsa?.privateKey },
        returnOrigins: env.sandbox.returnOrigins,
        authorizeControl: controlAccess(env.sandbox.controlToken, opened.db),
        // The payer's ip and merchantIp as the bank would see them: the socket's, or a trusted proxy's entry.
        clientAddress: (request) => clientAddressOf(request.headers, env.trustedProxies),
        numericErrorCodes: env.sandbox.numericErrorCodes,
        latency: env.sandbox.latency,
      })
    : undefined;
  // When this server's own sandbox is the bank, the shop keeps the bank's time: days a test moves
  // the sandbox clock forward pass for the shop too (hold ages, the hold policy, ageing alerts).
  if (sandbox) await sandbox.store.now();
  const shop: ShopContext = sandbox && !env.gateway.configured ? { ...opened, clock: sandbox.store.nowSync } : opened;
  const sandboxApi = sandbox && {
    restUrl: `${env.appUrl}/sandbox/payment/rest/`,
    credentials: secrets.sandboxCredentials,
    callbackKey: secrets.sandboxCallbackKey,
    callbackPublicKey: secrets.sandboxCallbackRsa?.publicKey,
  };
  // Both timers are unref'd and live as long as the process, like these services. The
  // dispatcher also delivers notifications left over from before a restart.
  sandbox?.callbacks.start();
  if (env.metricsToken) watchHolds(() => openHolds(shop.db, shop.clock()));
  const reconciler = env.reconcileIntervalMs > 0 ? startReconciler(shop, env.reconcileIntervalMs, reconcilerOptionsOf(env)) : undefined;
  // Over SMTP when configured; in the demo (sandbox, no SMTP) into the catcher the pages show.
  const smtp = env.mail.smtpUrl ? smtpTransport(env.mail.smtpUrl, { maxConnections: env.mail.maxConnections }) : undefined;
  const transport = smtp ?? (sandbox ? catcherTransport(shop.db) : undefined);
  const mailer =
    transport &&
    startOutboxSender(
      { db: shop.db, transport, from: env.mail.from, appUrl: env.appUrl, concurrency: env.mail.maxConnections },
      MAIL_INTERVAL_MS,
      shop.log,
    );
  const alerts =
    env.alertWebhook && startAlertSender({ db: shop.db, webhook: env.alertWebhook, appUrl: env.appUrl }, ALERT_INTERVAL_MS, shop.log);
  // On SIGTERM, once the accepted requests are done: background work first, the database last.
  if (reconciler) onShutdown('reconciler', () => reconciler.stop());
  if (mailer) onShutdown('mail outbox', () => mailer.stop().then(() => smtp?.close()));
  if (alerts) onShutdown('alerts webhook', () => alerts.stop());
  if (sandbox) onShutdown('sandbox callbacks', () => sandbox.callbacks.stop());
  onShutdown('database', () => shop.db.destroy());
  const pool = postgresPoolOf(shop.db);
  const store: LimitStore = pool ? { kind: 'postgres', pool } : { kind: 'memory' };
  const limits = {
    checkout: createCheckoutLimits(store, env.checkoutRateLimit),
    findOrders: createFindOrdersLimits(store),
    login: createLoginThrottle(store),
  };
  const recentOrdersKey = await generatedSecret(shop.db, 'recent-orders-key', () => randomBytes(32).toString('hex'));
  return {
    db: shop.db,
    gateway: shop.gateway,
    sandbox,
    shop,
    paymentFlow: env.paymentFlow,
    callbackKey: callbackSecretOf(secrets),
    sandboxApi,
    limits,
    recentOrdersKey,
    gatewayAuth: secrets.gatewayAuth,
  };
}
