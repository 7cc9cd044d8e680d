// The sandbox gateway as one web-standard handler, (Request) => Response, with no framework:
// app/sandbox mounts it in Next.js, and tests mount it in a plain node:http server. One route
// table; each surface in its own module (./surfaces/): the REST methods, the hosted payment page,
// the Mir Pay app, and the test controls.
import { createCallbacks } from './callbacks';
import { createFaults } from './faults';
import { forwardedOrLoopback, json } from './http';
import type { Lang } from './messages';
import { createRestApi } from './rest';
import { createSandboxStore } from './store';
import { advanceClock, answeredRequests, callbackControl } from './surfaces/control';
import { mirPayApp } from './surfaces/mirpay-app';
import type { SandboxOptions, SandboxParts } from './surfaces/parts';
import { paymentPage } from './surfaces/payment-page';
import { restMethod } from './surfaces/rest';
import { SANDBOX_PREFIX } from './urls';

export type { SandboxOptions } from './surfaces/parts';

type Route = {
  /** The path, matched whole; its groups are handed to `serve`. */
  path: RegExp;
  /** What the bank serves is GET or POST; DELETE only clears fault rules. */
  methods: readonly string[];
  serve: (parts: SandboxParts, request: Request, url: URL, groups: string[]) => Promise<Response>;
};

const at = (rest: string) => new RegExp(`^${SANDBOX_PREFIX}${rest}$`);
const CONTROL = `${SANDBOX_PREFIX}/control/`;

const ROUTES: readonly Route[] = [
  { path: at('/payment/rest/(.*?)(?:\\.do)?'), methods: ['GET', 'POST'], serve: (p, r, u, [name]) => restMethod(p, r, u, name!) },
  {
    path: at('/payment/merchants/([a-z0-9_-]+)/(?:mobile_)?payment_(ru|en)\\.html'),
    methods: ['GET', 'POST'],
    serve: async (p, r, u, [merchant, lang]) => (merchant === p.options.merchant ? paymentPage(p, r, u, lang as Lang) : notFound()),
  },
  { path: at('/mirpay/inapp/([A-Za-z0-9_-]{16,64})'), methods: ['GET', 'POST'], serve: (p, r, _u, [token]) => mirPayApp(p, r, token!) },
  { path: at('/control/clock'), methods: ['POST'], serve: (p, r) => advanceClock(p, r) },
  {
    path: at('/control/callbacks(?:/release)?'),
    methods: ['GET', 'POST'],
    serve: (p, r, u) => callbackControl(p, r, u, r.method.toUpperCase()),
  },
  { path: at('/control/faults'), methods: ['GET', 'POST', 'DELETE'], serve: (p, r) => p.faults.control(r, 'rules') },
  { path: at('/control/faults/clear'), methods: ['GET', 'POST'], serve: (p, r) => p.faults.control(r, 'clear') },
  { path: at('/control/requests'), methods: ['GET'], serve: (p, _r, u) => answeredRequests(p, u) },
];

export function createSandbox(options: SandboxOptions) {
  const callbacks = createCallbacks(options.db, options.callbacks);
  const store = createSandboxStore(options.db, callbacks.enqueue);
  const faults = createFaults({
    db: options.db,
    lookup: async ({ orderId, orderNumber }) => {
      const order = orderId !== undefined ? await store.findById(orderId) : await store.findByNumber(options.merchant, orderNumber ?? '');
      return order && { orderId: order.id, orderNumber: order.order_number };
    },
  });
  const parts: SandboxParts = {
    options,
    store,
    rest: createRestApi(store, options),
    faults,
    callbacks,
    clientIp: options.clientAddress ?? forwardedOrLoopback,
  };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    // Before anything else: an anonymous caller learns nothing of the controls, not even which exist.
    if (url.pathname.startsWith(CONTROL) && !(await options.authorizeControl(request))) {
      return json({ error: 'sandbox controls need the merchant session or Authorization: Bearer <SANDBOX_CONTROL_TOKEN>' }, 401, {
        'www-authenticate': 'Bearer',
      });
    }
    for (const route of ROUTES) {
      const match = route.path.exec(url.pathname);
      if (!match) continue;
      if (!route.methods.includes(request.method.toUpperCase())) return new Response('Method Not Allowed', { status: 405 });
      return route.serve(parts, request, url, match.slice(1));
    }
    return notFound();
  }

  const dispatcher = { start: callbacks.start, stop: callbacks.stop, flush: callbacks.flush };
  return { handle, store, callbacks: dispatcher, faults };
}

export type Sandbox = ReturnType<typeof createSandbox>;

function notFound(): Response {
  return new Response('Not Found', { status: 404 });
}
