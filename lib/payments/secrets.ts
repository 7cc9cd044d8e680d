// The gateway credentials and the callback key as the server uses them: from the configuration
// (lib/env.ts), or, where it says STORED (the sandbox is the gateway on a public APP_URL and no
// value was set), generated at the first start and kept in the database, so that every instance
// on that database and every restart uses the same ones.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Db } from '../db/database';
import { generatedSecret } from '../db/generated-secrets';
import type { Env, Stored } from '../env';
import { callbackPublicKey, type CallbackSecret } from '../gateway/checksum';
import type { GatewayAuth } from '../gateway/client';

export type ShopSecrets = Readonly<{
  /** What the shop's gateway client sends. */
  gatewayAuth: GatewayAuth;
  /** The key the shop checks callbacks with; undefined = callbacks are refused. */
  callbackKey: string | undefined;
  /** The bank's (or the sandbox's) RSA public key for the asymmetric checksum; replaces callbackKey. */
  callbackPublicKey: KeyObject | undefined;
  /** What the sandbox accepts, and the key it signs callbacks with (only used while it is on). */
  sandboxCredentials: GatewayAuth;
  sandboxCallbackKey: string;
  /** The sandbox's RSA key pair (PEM) when it signs asymmetrically (SANDBOX_CALLBACK_SIGNATURE=rsa). */
  sandboxCallbackRsa: RsaKeyPair | undefined;
}>;

export type RsaKeyPair = Readonly<{ privateKey: string; publicKey: string }>;

/** What the callback route checks a notification with: the RSA key if there is one, else the shared key. */
export function callbackSecretOf(secrets: ShopSecrets): CallbackSecret | undefined {
  return secrets.callbackPublicKey ?? secrets.callbackKey;
}

export async function resolveSecrets(env: Env, db: Db): Promise<ShopSecrets> {
  const credentials = lazy(async () => JSON.parse(await generatedSecret(db, 'sandbox-api-credentials', newCredentials)) as GatewayAuth);
  const callbackKey = lazy(() => generatedSecret(db, 'callback-key', () => randomBytes(32).toString('hex')));
  const rsaPair = lazy(async () => JSON.parse(await generatedSecret(db, 'callback-rsa-key-pair', newRsaKeyPair)) as RsaKeyPair);
  const sandboxOn = env.sandbox.enabled;
  const sandboxSignsRsa = sandboxOn && env.sandbox.callback.signature === 'rsa';
  return Object.freeze({
    gatewayAuth: isStored(env.gateway.auth) ? await credentials() : env.gateway.auth,
    callbackKey: isStored(env.callbackKey) ? await callbackKey() : env.callbackKey,
    callbackPublicKey:
      env.callbackCert === undefined
        ? undefined
        : callbackPublicKey(isStored(env.callbackCert) ? (await rsaPair()).publicKey : env.callbackCert),
    sandboxCallbackRsa: sandboxSignsRsa ? await rsaPair() : undefined,
    sandboxCredentials: !isStored(env.sandbox.credentials)
      ? env.sandbox.credentials
      : sandboxOn
        ? await credentials()
        : { token: randomBytes(32).toString('hex') },
    sandboxCallbackKey: !isStored(env.sandbox.callback.key)
      ? env.sandbox.callback.key
      : sandboxOn
        ? await callbackKey()
        : randomBytes(32).toString('hex'),
  });
}

function isStored<T>(value: T | Stored): value is Stored {
  return typeof value === 'object' && value !== null && 'stored' in value;
}

/** A user name like the bank's (`…-api`) and a 128-bit password, both within the bank's 30 characters. */
function newCredentials(): string {
  return JSON.stringify({ userName: `sandbox-${randomBytes(4).toString('hex')}-api`, password: randomBytes(16).toString('base64url') });
}

/** A 2048-bit RSA key pair in PEM, as the bank's callback signing key would be. */
function newRsaKeyPair(): string {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return JSON.stringify({
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
}

/** Reads (and creates) a stored secret only if some setting needs it, and then once. */
function lazy<T>(read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= read());
}
