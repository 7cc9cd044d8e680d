// The one logger of the server and its scripts (pino): one JSON line per event on stdout, with a
// level, the time, the current request id (./request-id.ts) and the event's fields. What must
// never reach a log is removed here by configuration (REDACTED_PATHS), not left to each caller;
// the gateway client masks card data before a record is made (lib/gateway/mask.ts).
// LOG_LEVEL chooses the least level written (default info). In development (`npm run dev`) lines
// go through pino-pretty, human-readable: a development dependency, which production never loads.
// Both come from lib/env.ts's logSettings, apart from the shop's configuration: the logger must
// work before and without it (scripts, tests, and the line that reports a configuration error).
import pino, { type DestinationStream, type Logger } from 'pino';
import { logSettings } from '../env';
import { currentRequestId } from './request-id';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** How the payment logic writes one event: a name and its fields (ShopContext.log). */
export type EventLog = (event: string, fields?: Record<string, unknown>, level?: LogLevel) => void;

/** Field names, at any of the first two levels, that hold credentials or personal data. */
const SECRET_FIELDS = [
  'password',
  'userName',
  'token',
  'checksum',
  'callbackKey',
  'pan',
  'cvc',
  'email',
  'phone',
  'authorization',
  'cookie',
];
export const REDACTED_PATHS = SECRET_FIELDS.flatMap((name) => [name, `*.${name}`]);

let root: Logger | undefined;

export function rootLogger(): Logger {
  if (!root) {
    const { level, development } = logSettings();
    root = createLogger(level, development ? prettyStream() : undefined);
  }
  return root;
}

export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** An EventLog writing through `logger`: `{ level, time, requestId, event, ...fields }`. */
export function eventLog(logger: Logger = rootLogger()): EventLog {
  return (event, fields = {}, level = 'info') => logger[level]({ event, ...fields });
}

function prettyStream(): DestinationStream {
  // pino loads the module by name in a worker thread: nothing of it is bundled or loaded otherwise.
  return pino.transport({ target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } }) as DestinationStream;
}
