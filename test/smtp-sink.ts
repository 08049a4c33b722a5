/**
 * A real SMTP server on loopback (the smtp-server package) that keeps what it receives, parsed by mailparser,
 * and can refuse recipients (4xx or 5xx) or run a hook before accepting a message — how the tests make
 * temporary and permanent failures and kill a sender midway.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as received. */
export interface ReceivedMail {
  to: string;
  from: string;
  subject: string;
  messageId: string;
  headers: ParsedMail['headers'];
  text: string;
  html: string;
  raw: string;
}

/** How the sink answers a recipient: accept, or refuse with an SMTP code. */
export type RecipientRule = (address: string, attempt: number) => 'accept' | { code: number; message: string };

/** A running sink. */
export interface SmtpSink {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Replaces the recipient rule (default: accept all). */
  setRule(rule: RecipientRule): void;
  /** Runs before a message is accepted; return 'drop' to answer with an error instead of accepting it. */
  setBeforeAccept(hook: ((index: number, to: string) => Promise<'accept' | 'drop'> | 'accept' | 'drop') | undefined): void;
  /** Waits until at least `n` messages arrived (or throws after `ms`). */
  waitFor(n: number, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a sink on 127.0.0.1 at a free port. */
export async function startSmtpSink(opts: { parse?: boolean } = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const attempts = new Map<string, number>();
  let rule: RecipientRule = () => 'accept';
  let beforeAccept: ((index: number, to: string) => Promise<'accept' | 'drop'> | 'accept' | 'drop') | undefined;
  const parse = opts.parse ?? true;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const n = (attempts.get(address.address) ?? 0) + 1;
      attempts.set(address.address, n);
      const verdict = rule(address.address, n);
      if (verdict === 'accept') return callback();
      const err = Object.assign(new Error(verdict.message), { responseCode: verdict.code });
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = parse ? await simpleParser(raw) : undefined;
        // The hook runs right before the 250: what it lets through is received and acknowledged at once.
        if (beforeAccept && (await beforeAccept(received.length, to)) === 'drop') {
          return callback(Object.assign(new Error('connection lost before the message was accepted'), { responseCode: 451 }));
        }
        received.push({
          to,
          from: mail?.from?.text ?? '',
          subject: mail?.subject ?? '',
          messageId: mail?.messageId ?? '',
          headers: mail?.headers ?? new Map(),
          text: mail?.text ?? '',
          html: typeof mail?.html === 'string' ? mail.html : '',
          // Unparsed (benchmark) sinks keep only the count's worth: no bodies.
          raw: parse ? raw : '',
        });
        callback();
      });
    },
  });
  // A client killed mid-conversation resets its connection: expected here, not a test failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    setRule: (r) => (rule = r),
    setBeforeAccept: (h) => (beforeAccept = h),
    async waitFor(n, ms = 20_000) {
      const until = Date.now() + ms;
      while (received.length < n) {
        if (Date.now() > until) throw new Error(`smtp sink: ${received.length} of ${n} messages after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
