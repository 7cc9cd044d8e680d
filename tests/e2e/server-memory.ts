// Memory of an e2e server, and a huge request body to throw at it. The server's process is found by
// its listening port (Linux /proc): the socket's inode in /proc/net/tcp{,6}, then the process
// holding that inode among its file descriptors. Playwright starts `next start`, whose server may
// be a child process, so the pid of the command Playwright ran would not do.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request as httpRequest } from 'node:http';

const LISTEN = '0A';

/** The pid of the process listening on this TCP port. */
export function pidListeningOn(port: number): number {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const localPort = parseInt(fields[1]!.split(':')[1]!, 16);
      if (localPort === port && fields[3] === LISTEN) inodes.add(fields[9]!);
    }
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // another user's process, or gone meanwhile
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        if (inodes.has(target.slice('socket:['.length, -1))) return Number(entry);
      } catch {
        // closed meanwhile
      }
    }
  }
  throw new Error(`no process of ours listens on port ${port}`);
}

/** Resident memory of a process, in bytes. */
export function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  if (!line) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(line[1]) * 1024;
}

export type HugePost = {
  status: number;
  /** RSS of the server before the post, and the highest seen while it was sent and answered. */
  rssBefore: number;
  rssPeak: number;
  /** Body bytes the client managed to write before the answer (or the server closing). */
  sent: number;
};

/**
 * POSTs `bytes` of body (chunked unless `contentLength` is given) to `url`, watching the server's
 * RSS every 20 ms. The body is written as fast as the socket takes it, and no faster, so the
 * client's own memory stays flat; it stops once the server answers or closes.
 */
export async function postHuge(
  url: string,
  options: { bytes: number; headers?: Record<string, string>; contentLength?: boolean; pid: number },
): Promise<HugePost> {
  const rssBefore = rssOf(options.pid);
  let rssPeak = rssBefore;
  const watch = setInterval(() => {
    try {
      rssPeak = Math.max(rssPeak, rssOf(options.pid));
    } catch {
      // the server died: the caller's next request will say so
    }
  }, 20);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  try {
    const status = await new Promise<number>((resolve, reject) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.contentLength) headers['content-length'] = String(options.bytes);
      const req = httpRequest(url, { method: 'POST', headers, agent: false });
      let answered = false;
      req.setTimeout(120_000, () => req.destroy(new Error('no answer within 120 s')));
      req.on('response', (response) => {
        answered = true;
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(response.statusCode ?? 0));
        req.destroy();
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (answered) return;
        // The server answered and closed while the body was still going out, and the socket was
        // cut before the answer was read: refused all the same, with no status to see.
        if (error.code === 'EPIPE' || error.code === 'ECONNRESET') resolve(CUT_OFF);
        else reject(error);
      });
      const pump = () => {
        while (!answered && !req.destroyed && sent < options.bytes) {
          const piece = Math.min(chunk.length, options.bytes - sent);
          sent += piece;
          if (!req.write(piece === chunk.length ? chunk : chunk.subarray(0, piece))) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered && !req.destroyed && sent >= options.bytes) req.end();
      };
      pump();
    });
    rssPeak = Math.max(rssPeak, rssOf(options.pid));
    return { status, rssBefore, rssPeak, sent };
  } finally {
    clearInterval(watch);
  }
}

export const MB = 1024 * 1024;

/**
 * Waits until the server's RSS stops moving (two samples 200 ms apart within 1 MB, at most 3 s):
 * memory a previous request freed late must not count against the next one measured.
 */
export async function settledRss(pid: number): Promise<number> {
  let last = rssOf(pid);
  for (let waited = 0; waited < 3000; waited += 200) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = rssOf(pid);
    if (Math.abs(now - last) < MB) return now;
    last = now;
  }
  return last;
}

/** postHuge's status when the server cut the connection before its answer could be read. */
export const CUT_OFF = -1;
