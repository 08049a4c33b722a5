/**
 * The digest as the scheduler, the CLI and the admin page run it: pick the day, queue its digests, send what is
 * due (each digest composed as it is sent: compose.ts).
 */
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { addDays } from '../listings/period.ts';
import { deliverDue, type DeliveryReport } from '../mail/delivery.ts';
import type { Mailer, OutgoingMail } from '../mail/mailer.ts';
import { secretKeyOf } from '../secret-key.ts';
import { findMessageByKey } from '../mail/outbox.repo.ts';
import { findSubscriberByEmail } from '../subscriptions/subscriptions.repo.ts';
import { utcDay } from './calendar.ts';
import { latestListingDay } from '../listings/listings.repo.ts';
import { DigestComposer, digestPaperIds, isComposed, type DigestPayload, type DigestPlaceholder } from './compose.ts';
import { digestMail } from './digest-mail.tsx';
import { prepareDigests, type PrepareReport } from './prepare.ts';
import { getPapers } from '../papers/papers.repo.ts';

/** The scheduler never prepares a day older than this: a store catching up after downtime must not mail stale news. */
export const MAX_DIGEST_AGE_DAYS = 3;

/** Options of one digest run. */
export interface DigestRunOptions {
  /** A specific announcement day (default: the latest one, if recent). */
  day?: string;
  /** Send now instead of at each subscriber's digest hour. */
  sendNow?: boolean;
  now?: () => Date;
  /** Aborted when the process stops: delivery sends what it started and releases the rest (mail/delivery.ts). */
  signal?: AbortSignal;
}

/** What one run did: the preparation (if a day was due) and the delivery pass. */
export interface DigestRunReport {
  day?: string;
  prepare?: PrepareReport;
  delivery: DeliveryReport;
}

/** The day a run without `--date` prepares: the latest announcement day, if it is recent. */
export async function currentDigestDay(db: Db, now: Date): Promise<string | undefined> {
  const today = utcDay(now);
  // Tomorrow too: in time zones ahead of UTC tomorrow's listing can already be the local today.
  const day = await latestListingDay(db.kysely, now, addDays(today, 1));
  return day && day >= addDays(today, -MAX_DIGEST_AGE_DAYS) ? day : undefined;
}

/** One run: prepare the day's digests (idempotent), then send every message that is due. */
export async function runDigest(db: Db, config: Config, mailer: Mailer, opts: DigestRunOptions = {}): Promise<DigestRunReport> {
  const now = opts.now ?? (() => new Date());
  const day = opts.day ?? (await currentDigestDay(db, now()));
  const prepare = day ? await prepareDigests(db, config.digest, day, { now: now(), sendNow: opts.sendNow, leaseSeconds: config.mail.leaseSeconds }) : undefined;
  const delivery = await deliverDue(db, config, mailer, { now, signal: opts.signal });
  return { day, prepare, delivery };
}

/**
 * The digest a subscriber would get for a day, rendered but not recorded or sent (`paperboy digest preview`):
 * the one composed already, else what it would hold if it were composed now. Undefined when they would get
 * none; throws when there is no such subscriber.
 */
export async function previewDigest(db: Db, config: Config, email: string, day: string): Promise<OutgoingMail | undefined> {
  const sub = await findSubscriberByEmail(db.kysely, email.trim().toLowerCase());
  if (!sub) throw new Error(`digest preview: no subscriber ${email}`);
  const queued = await findMessageByKey(db.kysely, `digest:${sub.id}:${day}`);
  const stored = queued && (JSON.parse(queued.payload) as DigestPlaceholder | DigestPayload);
  const payload = stored && isComposed(stored) ? stored : await new DigestComposer(db, { ...config.digest, recommendations: config.recommendations }, config.mail.leaseSeconds).preview(sub, day);
  if (!payload) return undefined;
  const papers = new Map((await getPapers(db.kysely, digestPaperIds(payload))).map((p) => [p.id, p]));
  return digestMail({ baseUrl: config.publicBaseUrl, key: secretKeyOf(config) }, sub, payload, papers, `preview:${sub.id}:${day}`);
}
