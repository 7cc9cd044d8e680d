// At server start, wake the services up through /api/health, so that the reconciler and the
// sandbox's callback dispatcher run even before the first shopper arrives (after a restart, old
// payments still get settled). Done over HTTP rather than by importing the services here: this
// file is bundled apart from the routes, and a second copy of the services would be a second
// reconciler with its own copies of every class.
export async function register() {
  // NEXT_RUNTIME is replaced at build time (the edge bundle drops this code); it is not configuration.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Before the first request is served: the client's address for the abuse limits comes from the
  // socket (lib/web/client-address.ts), which Next does not pass on by itself.
  (await import('./lib/web/client-address')).installPeerStamp();
  const { getEnv } = await import('./lib/env');
  // SIGTERM: finish what was accepted, then close (lib/web/graceful-shutdown.ts).
  const { eventLog } = await import('./lib/log/logger');
  (await import('./lib/web/graceful-shutdown')).installGracefulShutdown({ timeoutMs: getEnv().shutdownTimeoutMs, log: eventLog() });
  const url = `http://127.0.0.1:${getEnv().port}/api/health`;
  const deadline = Date.now() + 60_000;
  const wake = async () => {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() < deadline) setTimeout(wake, 500).unref();
  };
  setTimeout(wake, 200).unref();
}
