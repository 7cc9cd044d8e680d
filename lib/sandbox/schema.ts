// The sandbox's tables: its own database type beside the shop's (lib/db/schema.ts), made by its
// own migrations (./migrations.ts) only when the sandbox is on. Money is integer kopecks; times
// are milliseconds since the epoch.
import type { Generated, Kysely } from 'kysely';

/** The sandbox gateway's orders: its own state, as the bank keeps it. */
export type SandboxOrdersTable = {
  id: string;
  order_number: string;
  merchant: string;
  two_stage: number;
  amount: number;
  currency: string;
  return_url: string;
  fail_url: string | null;
  description: string;
  language: string;
  page_view: string;
  json_params: string;
  order_bundle: string | null;
  dynamic_callback_url: string | null;
  email: string | null;
  phone: string | null;
  client_id: string | null;
  created_at: number;
  expires_at: number;
  status: number;
  action_code: number;
  action_code_description: string;
  attempts: number;
  approved_amount: number;
  deposited_amount: number;
  refunded_amount: number;
  payment_way: string | null;
  masked_pan: string | null;
  card_expiration: string | null;
  cardholder_name: string | null;
  payment_system: string | null;
  approval_code: string | null;
  auth_ref_num: string | null;
  payer_ip: string | null;
  authorized_at: number | null;
  deposited_at: number | null;
  reversed_at: number | null;
  refunded_at: number | null;
  reverse_used: number;
  /** The address register.do came from: transactionAttributes' merchantIp. */
  merchant_ip: string | null;
};

export type SandboxRefundsTable = {
  id: Generated<number>;
  order_id: string;
  amount: number;
  created_at: number;
  reference_number: string | null;
  approval_code: string | null;
  external_refund_id: string | null;
  /** refundItems.items as sent (JSON), when the refund named receipt lines. */
  items_json: string | null;
};

/** A Mir Pay hand-over: the universal link's token, and what the app answered. */
export type SandboxMirPaySessionsTable = {
  token: string;
  order_id: string;
  created_at: number;
  card: string | null;
  answered_at: number | null;
  consumed_at: number | null;
};

/** Every REST call the sandbox answered: lets tests count, e.g., deposit.do per order. */
export type SandboxRequestsTable = {
  id: Generated<number>;
  method: string;
  order_id: string | null;
  order_number: string | null;
  error_code: number;
  created_at: number;
};

export type SandboxSettingsTable = {
  key: string;
  value: string;
};

/** The sandbox's outbox of callback notifications to the merchant (docs/gateway-api.md §8). */
export type SandboxCallbacksTable = {
  id: Generated<number>;
  order_id: string;
  operation: string;
  /** The order's dynamicCallbackUrl, else the configured callback URL. */
  url: string;
  method: string;
  /** The query (or form) parameters, checksum included. */
  params_json: string;
  /** Deliveries tried so far. */
  attempts: number;
  /** When the next delivery is due; pushed ahead as a lease while one is in flight. */
  next_at: number;
  /** 1 = kept queued until POST /sandbox/control/callbacks/release. */
  held: number;
  delivered_at: number | null;
  /** Set when the attempts ran out without an HTTP 200. */
  failed_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
};

export type SandboxDatabase = {
  sandbox_orders: SandboxOrdersTable;
  sandbox_refunds: SandboxRefundsTable;
  sandbox_mirpay_sessions: SandboxMirPaySessionsTable;
  sandbox_requests: SandboxRequestsTable;
  sandbox_settings: SandboxSettingsTable;
  sandbox_callbacks: SandboxCallbacksTable;
};

/** The sandbox's view of the database: its own tables only. */
export type SandboxDb = Kysely<SandboxDatabase>;
