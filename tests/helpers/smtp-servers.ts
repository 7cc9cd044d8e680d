// SMTP servers of the tests' own (smtp-server, in the test process, no TLS, no login) that count
// their connections: for the outbox's integration tests and for a shop server sending over SMTP_URL
// (tests/e2e/mail-smtp.spec.ts). No test runner's API here: both runners load it.
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { smtpTransport } from '../../lib/mail/outbox-sender';

/** An SMTP server taking messages with `onData`, counting the connections made to it. */
export function countingSmtpServer(onData: NonNullable<SMTPServerOptions['onData']>) {
  const counted = { connections: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onConnect(_session, callback) {
      counted.connections += 1;
      callback();
    },
    onData,
  });
  return { server, counted };
}

export type SlowServer = Awaited<ReturnType<typeof slowServer>>;

/**
 * An SMTP server that answers each message after `delayMs(subject)`, keeping its recipients and
 * subject, counting how many it has at once and the connections made to it; reached through a
 * pool of `maxConnections`.
 */
export async function slowServer(delayMs: (subject: string) => number, maxConnections?: number) {
  const received: { to: string; subject: string }[] = [];
  let atOnce = 0;
  let mostAtOnce = 0;
  const { server: slow, counted } = countingSmtpServer((stream, session, callback) => {
    atOnce += 1;
    mostAtOnce = Math.max(mostAtOnce, atOnce);
    const to = session.envelope.rcptTo.map((r) => r.address).join(',');
    void simpleParser(stream).then((mail) => {
      const subject = mail.subject ?? '';
      setTimeout(() => {
        atOnce -= 1;
        received.push({ to, subject });
        callback();
      }, delayMs(subject));
    }, callback);
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  const { port } = slow.server.address() as { port: number };
  const url = `smtp://127.0.0.1:${port}`;
  const transport = smtpTransport(url, { maxConnections });
  return {
    /** Its address, as SMTP_URL takes it. */
    url,
    transport,
    received,
    get mostAtOnce() {
      return mostAtOnce;
    },
    get connections() {
      return counted.connections;
    },
    async close() {
      transport.close();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    },
  };
}
