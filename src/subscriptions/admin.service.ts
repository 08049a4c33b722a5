/**
 * What the admin pages show and do: the outbox (the .eml files of the file mailer, the queue's state),
 * subscriber counts, and sending a day's digest now. No HTTP here; /admin's access rule is in
 * http/admin-auth.ts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { runDigest } from '../digest/digest.service.ts';
import { latestListingDay } from '../listings/listings.service.ts';
import { type EmlMessage, isEmlName, listEml, readEml } from '../mail/eml-outbox.ts';
import { createMailer } from '../mail/mailer.ts';
import { outboxCounts, recentMessages } from '../mail/outbox.repo.ts';
import { countSubscribers } from './subscriptions.service.ts';

/** How many queue rows the outbox page lists. */
const QUEUE_ROWS = 30;

/** Everything the outbox page shows. */
export interface OutboxOverview {
  /** Where mail goes, for people: the SMTP server (password masked) or the .eml folder. */
  transport: string;
  /** True when mail is written as .eml files (no SMTP_URL), which the page then lists. */
  fileMode: boolean;
  files: { messages: EmlMessage[]; total: number };
  counts: Record<string, number>;
  queue: Awaited<ReturnType<typeof recentMessages>>;
  subscribers: Record<string, number>;
}

/** The outbox page's contents. */
export async function outboxOverview(db: Db, config: Config): Promise<OutboxOverview> {
  const { smtpUrl, outboxDir } = config.mail;
  return {
    transport: smtpUrl ? `the SMTP server ${smtpUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}` : `.eml files in ${outboxDir} (no SMTP_URL set)`,
    fileMode: !smtpUrl,
    files: smtpUrl ? { messages: [], total: 0 } : await listEml(outboxDir),
    counts: await outboxCounts(db.kysely),
    queue: await recentMessages(db.kysely, QUEUE_ROWS),
    subscribers: await countSubscribers(db.kysely),
  };
}

/** One message of the outbox folder, parsed; undefined for a name the folder cannot hold or a missing file. */
export function outboxMessage(config: Config, name: string): Promise<EmlMessage | undefined> {
  return readEml(config.mail.outboxDir, name);
}

/** One message of the outbox folder as written, for download. */
export async function outboxMessageFile(config: Config, name: string): Promise<Buffer | undefined> {
  if (!isEmlName(name)) return undefined;
  return readFile(path.join(config.mail.outboxDir, name)).catch(() => undefined);
}

/** What "Prepare and send now" did, in words for the page's notice. */
export interface SentNow {
  notice: string;
}

/**
 * Prepares `day`'s digests (the latest listing day when not given) and sends every message that is due,
 * without waiting for each subscriber's hour.
 */
export async function sendDigestNow(db: Db, config: Config, day?: string): Promise<SentNow> {
  const when = day ?? (await latestListingDay(db));
  if (!when) return { notice: 'The store has no listing days yet.' };
  const mailer = createMailer(config.mail);
  try {
    const r = await runDigest(db, config, mailer, { day: when, sendNow: true });
    const what = r.prepare?.skipped ? `nothing prepared (${r.prepare.skipped})` : `${r.prepare?.messages ?? 0} digests prepared`;
    return { notice: `${when}: ${what}; ${r.delivery.sent} mails sent.` };
  } finally {
    mailer.close();
  }
}
