// At server start, wake the services up through /api/health, so that the reconciler and the
// sandbox's callback dispatcher run even before the first shopper arrives (after a restart, old
// payments still get settled). Done over HTTP rather than by importing the services here: this
// file is bundled apart from the routes, and a second copy of the services would be a second
// reconciler with its own copies of every class.
export function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const url = `http://127.0.0.1:${process.env.PORT ?? 3000}/api/health`;
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
