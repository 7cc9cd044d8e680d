// What each surface of the sandbox works with: its options, its store of orders, the REST methods,
// the fault rules, the callback outbox, and how it reads a caller's address.
import type { CallbackOptions, createCallbacks } from '../callbacks';
import type { createFaults } from '../faults';
import type { Latency } from '../latency';
import type { createRestApi, SandboxCredentials } from '../rest';
import type { SandboxDb } from '../schema';
import type { createSandboxStore } from '../store';

export type SandboxOptions = {
  db: SandboxDb;
  merchant: string;
  merchantName: string;
  credentials: SandboxCredentials;
  /** Public origin (e.g. http://localhost:3000): formUrl and the Mir Pay link are built on it. */
  publicUrl: string;
  /** Where and how to send callback notifications; absent = the sandbox sends none. */
  callbacks?: CallbackOptions;
  /** Origins besides publicUrl's that returnUrl, failUrl and dynamicCallbackUrl may point at. */
  returnOrigins?: readonly string[];
  /**
   * Whether this request may use /sandbox/control/* (faults, clock, callbacks, requests): they
   * change the sandbox for everyone and list every shopper's orders. Required, so that no
   * mounting forgets it (lib/sandbox/control-access.ts has the bearer-token check).
   */
  authorizeControl: (request: Request) => Promise<boolean>;
  /**
   * The address a request comes from as the bank would see it (the payer's `ip`, the merchant's
   * `merchantIp`): the server passes its socket-based reading (lib/web/client-address.ts).
   * Default: the first X-Forwarded-For entry, else 127.0.0.1 (tests behind no proxy).
   */
  clientAddress?: (request: Request) => string;
  /** errorCode as a JSON number (SANDBOX_ERROR_CODE_TYPE=number); default a string. */
  numericErrorCodes?: boolean;
  /** A bank's network latency on every REST call (../latency.ts); absent = none. */
  latency?: Latency;
};

export type SandboxParts = {
  options: SandboxOptions;
  store: ReturnType<typeof createSandboxStore>;
  rest: ReturnType<typeof createRestApi>;
  faults: ReturnType<typeof createFaults>;
  callbacks: ReturnType<typeof createCallbacks>;
  clientIp: (request: Request) => string;
};
