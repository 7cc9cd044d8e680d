// A background job run every `intervalMs` in the server (the mail outbox, the alerts' webhook):
// one round at a time, each under a request id of its own (not the one of the request that
// happened to start the services), its failure logged and the next round scheduled anyway.
// stop() lets a running round finish (rows it claimed are marked done or retried, not left
// leased), then waits for it. The timers never keep the process alive.
import type { EventLog } from '../log/logger';
import { requestIdOf, withRequestId } from '../log/request-id';

export type Periodic = { stop(): Promise<void> };

export function startPeriodic(name: string, round: () => Promise<void>, intervalMs: number, log: EventLog): Periodic {
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    try {
      await round();
    } catch (error) {
      log(`${name}.failed`, { error: error instanceof Error ? error.message : String(error) }, 'error');
    }
    running = undefined;
    if (!stopped) timer = setTimeout(schedule, intervalMs).unref();
  };
  const schedule = () => {
    running = withRequestId(requestIdOf(undefined), run);
  };
  timer = setTimeout(schedule, 0).unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
