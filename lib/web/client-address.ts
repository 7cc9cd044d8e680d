// Who a request comes from, for the checkout's limits and the console's login throttle.
//
// `next start` serves HTTP itself and passes the client's X-Forwarded-For through untouched (it
// only fills the header in when it is absent), so that header is the client's choice unless a
// reverse proxy we trust wrote it. The socket's address is the only thing a client cannot choose,
// and Next does not expose it to routes or actions: installPeerStamp() (run once at server start
// by instrumentation.ts) copies it into a request header whose name is random per process, so no
// client can send it in advance.
import { randomBytes } from 'node:crypto';
import { Server, type IncomingMessage } from 'node:http';

type HeaderReader = { get(name: string): string | null };

const HEADER_NAME = Symbol.for('mirpay.peer-address-header');
const holder = globalThis as typeof globalThis & { [HEADER_NAME]?: string };

/** Stamps every incoming request of this process with its socket's address (idempotent). */
export function installPeerStamp(): void {
  if (holder[HEADER_NAME]) return;
  const name = `x-peer-${randomBytes(12).toString('hex')}`;
  holder[HEADER_NAME] = name;
  const emit = Server.prototype.emit;
  Server.prototype.emit = function stampPeer(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const request = args[0] as IncomingMessage;
      request.headers[name] = request.socket?.remoteAddress ?? '';
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof Server.prototype.emit;
}

/**
 * The client's address: the socket's with `trustedProxies` = 0; else the X-Forwarded-For entry
 * that the outermost trusted proxy added (each proxy appends the address it was reached from).
 * A request that was not stamped (served before the stamp was installed) counts as "unknown", one
 * shared bucket, never as an address of the client's choosing.
 */
export function clientAddressOf(headers: HeaderReader, trustedProxies: number): string {
  const name = holder[HEADER_NAME];
  const peer = name ? headers.get(name) : null;
  if (!peer) return 'unknown';
  const forwarded =
    trustedProxies > 0
      ? (headers.get('x-forwarded-for') ?? '')
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean)
      : [];
  const chain = [...forwarded, peer];
  return normalised(chain[Math.max(0, chain.length - 1 - trustedProxies)]!);
}

/**
 * One key per client: an IPv4-mapped IPv6 address is its IPv4 one, and IPv6 counts per /64, the
 * block one subscriber usually gets (counting per address would give each of them 2^64 budgets).
 */
export function normalised(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** For tests: the header installPeerStamp() writes, once it is installed. */
export function peerHeaderName(): string | undefined {
  return holder[HEADER_NAME];
}
