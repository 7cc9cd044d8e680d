// The gateway operations we use, their REST method names, and whether repeating them is safe.
// Only reads are retried automatically; register* after a timeout is settled by a lookup by our
// orderNumber, and money movement by re-reading the status (docs/architecture.md §3).
export const operations = {
  register: { method: 'register.do', safeToRetry: false },
  registerPreAuth: { method: 'registerPreAuth.do', safeToRetry: false },
  getOrderStatusExtended: { method: 'getOrderStatusExtended.do', safeToRetry: true },
  deposit: { method: 'deposit.do', safeToRetry: false },
  reverse: { method: 'reverse.do', safeToRetry: false },
  refund: { method: 'refund.do', safeToRetry: false },
  decline: { method: 'decline.do', safeToRetry: false },
} as const;

export type GatewayOperation = keyof typeof operations;

export const operationNames = Object.keys(operations) as GatewayOperation[];
