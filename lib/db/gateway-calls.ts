// The shop's record of every gateway exchange (masked by the client before it gets here):
// the raw material of the merchant's timeline.
import type { GatewayCallRecord } from '../gateway/client';
import type { Db } from './database';

export async function insertGatewayCall(db: Db, record: GatewayCallRecord): Promise<void> {
  await db
    .insertInto('gateway_calls')
    .values({
      operation: record.operation,
      order_id: record.orderId ?? null,
      order_number: record.orderNumber ?? null,
      gateway_order_id: record.gatewayOrderId ?? null,
      attempt: record.attempt,
      started_at: record.startedAt.getTime(),
      duration_ms: record.durationMs,
      outcome: record.outcome,
      error_code: record.errorCode ?? null,
      http_status: record.httpStatus ?? null,
      error: record.error ?? null,
      request_json: JSON.stringify(record.request),
      response_json: record.response === undefined ? null : JSON.stringify(record.response),
    })
    .execute();
}

/** The fields of the server log's one line per call (event "gateway.call"). */
export function logFieldsOf(record: GatewayCallRecord): Record<string, unknown> {
  return {
    operation: record.operation,
    orderId: record.orderId,
    orderNumber: record.orderNumber,
    gatewayOrderId: record.gatewayOrderId,
    attempt: record.attempt,
    durationMs: record.durationMs,
    outcome: record.outcome,
    errorCode: record.errorCode,
    httpStatus: record.httpStatus,
  };
}
