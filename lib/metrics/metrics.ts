// The shop's Prometheus metrics (prom-client), counted where things happen in lib/ and read by
// GET /api/metrics (METRICS_TOKEN). One registry per process, kept on globalThis: Next may load
// this module more than once (a route's bundle, dev-mode reloads), and a second registry would
// count apart from the one that is scraped.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

function build() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    checkouts: new Counter({
      name: 'shop_checkouts_total',
      help: '"Pay" submissions by result: started (a valid form), registered (the bank gave a payment page), refused (rate limit or gateway refusal)',
      labelNames: ['result'] as const,
      registers,
    }),
    payments: new Counter({
      name: 'shop_payments_final_total',
      help: 'Payment attempts that reached a final state, by state',
      labelNames: ['state'] as const,
      registers,
    }),
    gatewayCalls: new Counter({
      name: 'shop_gateway_calls_total',
      help: 'HTTP exchanges with the payment gateway, by operation and outcome (ok, rejected, unknown)',
      labelNames: ['operation', 'outcome'] as const,
      registers,
    }),
    gatewayLatency: new Histogram({
      name: 'shop_gateway_call_duration_seconds',
      help: 'Duration of one gateway exchange, by operation',
      labelNames: ['operation'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20],
      registers,
    }),
    callbacks: new Counter({
      name: 'shop_callbacks_total',
      help: 'Bank notifications received, by verdict (accepted, unknown-order, malformed, unsigned, forged, disabled)',
      labelNames: ['verdict'] as const,
      registers,
    }),
    reconcilerTicks: new Counter({ name: 'shop_reconciler_ticks_total', help: 'Reconciler runs', registers }),
    reconcilerClaims: new Counter({
      name: 'shop_reconciler_claims_total',
      help: 'Payment attempts the reconciler claimed and read',
      registers,
    }),
    reconcilerErrors: new Counter({
      name: 'shop_reconciler_errors_total',
      help: 'Reconciler failures: a gateway error on one attempt, or a whole tick that failed',
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: 'shop_rate_limit_refusals_total',
      help: 'Requests refused by a rate limit, by limiter',
      labelNames: ['limiter'] as const,
      registers,
    }),
  };
}

export type ShopMetrics = ReturnType<typeof build>;

const holder = globalThis as typeof globalThis & { __shopMetrics?: ShopMetrics };

export function metrics(): ShopMetrics {
  holder.__shopMetrics ??= build();
  return holder.__shopMetrics;
}

/** Open holds, read from the database at each scrape (set up once by the server, which has the database). */
export function watchHolds(read: () => Promise<{ count: number; oldestAgeSeconds: number }>): void {
  const { registry } = metrics();
  if (registry.getSingleMetric('shop_open_holds')) return;
  let latest: Promise<{ count: number; oldestAgeSeconds: number }> | undefined;
  // Both gauges are read in one scrape: one query serves them.
  const once = () => (latest ??= read().finally(() => setTimeout(() => (latest = undefined), 1000).unref()));
  new Gauge({
    name: 'shop_open_holds',
    help: 'Two-stage payments the bank holds (approved), not yet captured or released',
    registers: [registry],
    async collect() {
      this.set((await once()).count);
    },
  });
  new Gauge({
    name: 'shop_oldest_hold_age_seconds',
    help: 'Age of the oldest open hold (0 with none); a Mir hold lasts at most 7 days',
    registers: [registry],
    async collect() {
      this.set((await once()).oldestAgeSeconds);
    },
  });
}
