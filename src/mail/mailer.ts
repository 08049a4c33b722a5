/**
 * Hands finished messages to the world: nodemailer over SMTP (SMTP_URL), or, with no SMTP configured, one
 * .eml file per message under DATA_DIR/outbox (listed at /admin/outbox), so a bare `npm start` shows mail.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { MailConfig } from '../config.ts';

/** One finished message to one recipient. */
export interface OutgoingMail {
  /** The outbox idempotency key: the Message-ID and the .eml file name derive from it. */
  key: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

/** What became of a send: accepted, worth retrying (4xx, connection trouble), or refused for good (5xx). */
export type SendOutcome = { status: 'sent' } | { status: 'temporary' | 'permanent'; error: string };

/** Something that sends mail. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<SendOutcome>;
  /** Where mail goes, for logs (never includes a password). */
  describe: string;
  close(): void;
}

/** A Message-ID that is the same on every attempt, so a receiver can drop a duplicate delivery. */
export function messageIdFor(key: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'paperboy.invalid';
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}

/** Sorts an SMTP or connection error into temporary or permanent, with a short description. */
export function classifySendError(err: unknown): SendOutcome {
  const e = err as { responseCode?: number; code?: string; message?: string; response?: string };
  const detail = (e.response ?? e.message ?? String(err)).slice(0, 300);
  // 5xx is a refusal that retrying will not change; everything else (4xx, sockets, timeouts, DNS) may pass later.
  if (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600) return { status: 'permanent', error: detail };
  return { status: 'temporary', error: e.code ? `${e.code}: ${detail}` : detail };
}

function envelope(config: MailConfig, mail: OutgoingMail) {
  return {
    from: config.from,
    to: mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    headers: mail.headers,
    messageId: messageIdFor(mail.key, config.from),
    // Explicit quoted-printable: readable in the raw message, and twice as fast to encode as the auto-detected choice.
    textEncoding: 'quoted-printable' as const,
  };
}

/** The mailer for this configuration: SMTP when SMTP_URL is set, else .eml files in the outbox folder. */
export function createMailer(config: MailConfig): Mailer {
  return config.smtpUrl ? smtpMailer(config, config.smtpUrl) : fileMailer(config);
}

function smtpMailer(config: MailConfig, url: string): Mailer {
  // A pool keeps a few connections open: one TLS handshake per connection, not per message.
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 5,
    maxMessages: Infinity,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    describe: `SMTP ${url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}`,
    async send(mail) {
      try {
        await transport.sendMail(envelope(config, mail));
        return { status: 'sent' };
      } catch (err) {
        return classifySendError(err);
      }
    },
    close: () => transport.close(),
  };
}

/** File name of a message in the outbox folder: derived from its key, so a retry overwrites, never duplicates. */
export function emlFileName(key: string): string {
  return `${key.replace(/[^A-Za-z0-9-]+/g, '_').slice(0, 80)}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}.eml`;
}

function fileMailer(config: MailConfig): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    describe: `.eml files in ${config.outboxDir}`,
    async send(mail) {
      try {
        const info = await transport.sendMail(envelope(config, mail));
        fs.mkdirSync(config.outboxDir, { recursive: true });
        const file = path.join(config.outboxDir, emlFileName(mail.key));
        // Write then rename: a reader never sees half a message.
        fs.writeFileSync(`${file}.tmp`, info.message as Buffer);
        fs.renameSync(`${file}.tmp`, file);
        return { status: 'sent' };
      } catch (err) {
        return { status: 'temporary', error: `outbox: ${(err as Error).message}` };
      }
    },
    close: () => transport.close(),
  };
}
