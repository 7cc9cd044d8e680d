// Table types for Kysely. Money is integer kopecks; times are milliseconds since the epoch.
import type { ColumnType, Generated } from 'kysely';
// The one type the tables take from the payment logic: the column holds only these states.
import type { AttemptState } from '../payments/states';

/** What the shop recorded of each exchange with the gateway (already masked). */
export type GatewayCallsTable = {
  id: Generated<number>;
  operation: string;
  order_id: string | null;
  order_number: string | null;
  gateway_order_id: string | null;
  attempt: number;
  started_at: number;
  duration_ms: number;
  outcome: string;
  error_code: number | null;
  http_status: number | null;
  error: string | null;
  request_json: string;
  response_json: string | null;
};

export type OrdersTable = {
  id: string;
  number: string;
  flow: string;
  amount: number;
  currency: string;
  language: string;
  items_json: string;
  customer_name: string;
  customer_phone: string;
  customer_email: string;
  created_at: number;
  /** The checkout form's idempotency key (null when the order was made without one). */
  checkout_key: string | null;
  /** When an attempt first secured the money (approved or paid): the cart is spent. */
  cart_spent_at: number | null;
  /** When an attempt of the order first reached paid (the console's figures count by it). */
  paid_at: number | null;
  /** The latest attempt's number and state, kept by the one writer (the console filters by them). */
  latest_attempt_no: Generated<number>;
  latest_state: Generated<AttemptState>;
  /** Courier (with its address) or pickup, and its price (in `amount`); null on older orders. */
  delivery_json: ColumnType<string | null, string | null | undefined, string | null>;
};

/** An e-mail the shop owes for an order's event ('paid', 'refunded'), sent from here (lib/mail). */
export type MailOutboxTable = {
  id: Generated<number>;
  /**
   * One row per event: "paid:<order id>", "refunded:<attempt id>" (its first refund),
   * "refunded:<attempt id>:<total refunded>" (each later one), "orders-list:<address hash>:<time slot>".
   */
  event_key: string;
  /** The order told of; for "orders-list", the address's newest order (whose e-mail it goes to). */
  order_id: string;
  kind: 'paid' | 'refunded' | 'orders-list';
  /** The language of an "orders-list" mail; null on the others (their order's language). */
  language: string | null;
  created_at: number;
  status: Generated<'pending' | 'sent' | 'failed'>;
  tries: Generated<number>;
  /** Not before: the next try, or the end of a sender's claim on the row. */
  next_at: number;
  sent_at: number | null;
  last_error: string | null;
  /** A refund e-mail's own refund and what stayed paid after it (kopecks); null on the others. */
  refund_amount: number | null;
  remaining_amount: number | null;
};

/** An e-mail the sandbox's catcher kept instead of sending it (no SMTP_URL in the demo). */
export type MailCatcherTable = {
  id: Generated<number>;
  order_id: string;
  to_address: string;
  subject: string;
  text: string;
  html: string;
  /** The whole message as nodemailer composed it (RFC 5322). */
  raw: string;
  caught_at: number;
};

/** One gateway registration (one orderNumber) of an order. */
export type PaymentAttemptsTable = {
  id: Generated<number>;
  order_id: string;
  attempt_no: number;
  order_number: string;
  state: AttemptState;
  gateway_order_id: string | null;
  form_url: string | null;
  action_code: number | null;
  approved_amount: number | null;
  deposited_amount: number | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  synced_at: number | null;
  /** When a shopper's return last claimed a sync (returns are throttled against each other only). */
  return_synced_at: number | null;
  /** What the merchant captured (a partial capture is final); null = the order amount. */
  capture_amount: number | null;
  refunded_amount: number | null;
};

/** One state change of a payment attempt and what caused it (the merchant's timeline). */
export type PaymentEventsTable = {
  id: Generated<number>;
  order_id: string;
  attempt_id: number;
  at: number;
  from_state: string;
  to_state: string;
  /** checkout | shopper return | polling | callback | reconciler | merchant | system */
  cause: string;
};

/** A merchant's capture, cancel or refund, recorded before its gateway call. */
export type MerchantOperationsTable = {
  id: Generated<number>;
  order_id: string;
  attempt_id: number;
  kind: string;
  amount: number;
  /** pending | done | refused | unknown */
  state: string;
  /** The form's one-time key: a resubmitted form finds its operation instead of repeating it. */
  request_key: string;
  error: string | null;
  created_at: number;
  settled_at: number | null;
  /** Set when the shop made the operation itself: "duplicate payment". */
  reason: string | null;
  /** A refund by receipt lines: the refundItems sent (JSON), so a settling re-read knows them. */
  items_json: string | null;
};

export type ShopSettingsTable = { key: string; value: string };

/** One callback notification as received (checksum removed), with what the shop made of it. */
export type PaymentCallbacksTable = {
  id: Generated<number>;
  received_at: number;
  md_order: string | null;
  order_number: string | null;
  operation: string | null;
  status: string | null;
  /** accepted | unsigned | forged | malformed | unknown-order | disabled */
  verdict: string;
  /** Genuine: the attempt it names. Refused: the attempt its mdOrder names, if any (the value itself is not kept). */
  order_id: string | null;
  attempt_id: number | null;
  /** Genuine: the parameters without the checksum. Refused: `{}`, nothing of what was sent. */
  params_json: string;
  /** 1 for unsigned, forged, malformed and disabled: a summary only, pruned by age and count. */
  refused: Generated<number>;
  /** Bytes of the parameters as received, form-encoded. */
  byte_size: number | null;
  /** Refused only: hex SHA-256 of those bytes, to tell a replayed junk request from a new one. */
  params_sha256: string | null;
  param_count: number | null;
};

/** A console session: the cookie names it by a random id, the server decides when it ends. */
export type MerchantSessionsTable = {
  /** SHA-256 of the cookie's random part, so a database dump holds no usable session. */
  id: string;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
  /** The user signed in; null for sessions from before the console had users (never valid). */
  user_id: number | null;
};

export type MerchantUsersTable = {
  id: Generated<number>;
  login: string;
  /** owner | operator | viewer (lib/console/roles.ts). */
  role: string;
  /** "scrypt$<N>$<salt>$<hash>" (lib/console/users.ts); never the password. */
  password_hash: string;
  created_at: number;
  disabled_at: number | null;
};

export type AuditLogTable = {
  id: Generated<number>;
  at: number;
  /** The login given (also for failed log-ins), or "system". */
  actor: string;
  address: string;
  action: string;
  /** The order or user acted on, if any. */
  subject: string | null;
  outcome: string;
};

export type AlertsTable = {
  id: Generated<number>;
  /** One row per occurrence: "hold-ageing:<attempt id>", "callbacks-refused:<hour>", … */
  alert_key: string;
  kind: string;
  order_id: string | null;
  details_json: string;
  created_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  /** To the webhook: pending (due at next_at), sent, failed (gave up), off (no webhook configured). */
  delivery: 'pending' | 'sent' | 'failed' | 'off';
  tries: Generated<number>;
  next_at: number;
  delivered_at: number | null;
  last_error: string | null;
};

export type Database = {
  orders: OrdersTable;
  alerts: AlertsTable;
  mail_outbox: MailOutboxTable;
  mail_catcher: MailCatcherTable;
  merchant_sessions: MerchantSessionsTable;
  merchant_users: MerchantUsersTable;
  audit_log: AuditLogTable;
  payment_attempts: PaymentAttemptsTable;
  payment_callbacks: PaymentCallbacksTable;
  payment_events: PaymentEventsTable;
  merchant_operations: MerchantOperationsTable;
  shop_settings: ShopSettingsTable;
  gateway_calls: GatewayCallsTable;
};
