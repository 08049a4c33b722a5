/**
 * Sends what the outbox holds that is due: claims messages under a lease, composes the digests among them
 * (from what is known now), renders each, hands it to the mailer and records the outcome. Temporary failures
 * (4xx, connection trouble, and a message that could not be composed or rendered — a database error, say)
 * come back later with exponential backoff until MAX_ATTEMPTS; permanent ones (5xx) are reported to the
 * subscriptions rules, which stop an address past MAIL_BOUNCE_LIMIT.
 */
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { DigestComposer } from '../digest/compose.ts';
import type { Paper } from '../papers/paper.ts';
import { secretKeyOf } from '../secret-key.ts';
import { getSubscribers, type SubscriberRow } from '../subscriptions/subscriptions.repo.ts';
import { recordPermanentFailure } from '../subscriptions/subscriptions.service.ts';
import type { Mailer } from './mailer.ts';
import * as outbox from './outbox.repo.ts';
import { composeClaimed, isPlaceholder, type RenderContext, renderOutboxRow } from './render-outbox.ts';

/** A message that failed temporarily this many times is given up. */
export const MAX_ATTEMPTS = 8;
const MAX_BACKOFF_SECONDS = 6 * 3600;

/** What one delivery pass did. */
export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
  /** Addresses that crossed the bounce limit in this pass. */
  bounced: number;
  /** Digests composed in this pass (each as it was sent). */
  composed: number;
  /** Digests that had nothing new for their subscriber: dropped, not sent. */
  empty: number;
  /** Claimed messages given back unsent because the process is stopping. */
  released: number;
  seconds: number;
}

/** Options of one delivery pass. */
export interface DeliveryOptions {
  now?: () => Date;
  /** Parallel sends (the SMTP pool keeps up to 5 connections). */
  concurrency?: number;
  /** Stop after this many messages (default: until nothing is due). */
  limit?: number;
  /**
   * A stopping process aborts it: no further batch is claimed, the sends under way finish and are recorded,
   * and the messages claimed but not started are released at once for another instance to send.
   */
  signal?: AbortSignal;
}

/** The wait before attempt `attempts + 1`: base, 4×base, 16×base … capped at 6 hours. */
export function backoffSeconds(baseSeconds: number, attempts: number): number {
  return Math.min(MAX_BACKOFF_SECONDS, baseSeconds * 4 ** Math.max(0, attempts - 1));
}

/** Sends every message due when it starts (or up to `limit`), in parallel, and reports what happened. */
export async function deliverDue(db: Db, config: Config, mailer: Mailer, opts: DeliveryOptions = {}): Promise<DeliveryReport> {
  const started = performance.now();
  const now = opts.now ?? (() => new Date());
  const concurrency = opts.concurrency ?? 8;
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0, cancelled: 0, bounced: 0, composed: 0, empty: 0, released: 0, seconds: 0 };
  const papers = new Map<number, Paper>();
  const renderedRows = new Map<string, string>();
  // One composer per pass: each day's ranking is read when the pass first needs it.
  const digests = new DigestComposer(db, { ...config.digest, recommendations: config.recommendations }, config.mail.leaseSeconds, now);
  let handled = 0;
  // One pass sends what was due when it started: a message put back for a retry waits for a later pass.
  const dueBy = now();

  /** Claims the next batch and composes its digests; undefined when nothing more is due (or the limit is reached). */
  const nextBatch = async () => {
    const want = Math.min(concurrency * 4, (opts.limit ?? Infinity) - handled);
    if (want <= 0 || opts.signal?.aborted) return undefined;
    const rows = await outbox.claimDueMessages(db.kysely, db.dialect, want, config.mail.leaseSeconds, now(), dueBy);
    if (rows.length === 0) return undefined;
    handled += rows.length;
    // Account mails (sign-in links and the like) have no subscriber.
    const subscriberIds = [...new Set(rows.flatMap((r) => (r.subscriber_id === null ? [] : [r.subscriber_id])))];
    const subscribers = new Map((await getSubscribers(db.kysely, subscriberIds)).map((sub) => [sub.id, sub]));
    const ctx: RenderContext = { db: db.kysely, baseUrl: config.publicBaseUrl, key: secretKeyOf(config), now: now(), papers, rows: renderedRows, digests };
    try {
      const composed = await composeClaimed(ctx, rows, subscribers);
      report.composed += composed.composed;
      report.empty += composed.empty;
      report.cancelled += composed.stale;
      return { ctx, subscribers, ready: composed.rows };
    } catch (err) {
      // Nothing was recorded (one transaction): the digests are composed again on a later attempt.
      const ready: outbox.OutboxRow[] = [];
      for (const row of rows) {
        if (isPlaceholder(row)) await retryOrFail(db, config, row, `compose: ${(err as Error).message}`, report, now);
        else ready.push(row);
      }
      return { ctx, subscribers, ready };
    }
  };

  let upcoming = nextBatch();
  for (;;) {
    const batch = await upcoming;
    if (!batch) break;
    // The next batch is claimed and composed (database work) while this one goes out (SMTP round trips).
    upcoming = nextBatch();
    const { ctx, subscribers, ready } = batch;
    let next = 0;
    const worker = async () => {
      while (next < ready.length && !opts.signal?.aborted) {
        const row = ready[next++];
        await deliverOne(db, config, mailer, ctx, row, row.subscriber_id === null ? undefined : subscribers.get(row.subscriber_id), report, now);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, ready.length) }, worker));
    } catch (err) {
      await upcoming.catch(() => undefined); // its claim lapses and a later pass takes it over
      throw err;
    }
    if (opts.signal?.aborted) {
      // Not started here: another instance may send them now rather than after the lease.
      const claimedNext = await upcoming.catch(() => undefined);
      report.released += await outbox.releaseClaims(db.kysely, [...ready.slice(next), ...(claimedNext?.ready ?? [])]);
      break;
    }
  }
  return { ...report, seconds: (performance.now() - started) / 1000 };
}

/** A temporary failure: tried again after the backoff, or given up once it had MAX_ATTEMPTS. */
async function retryOrFail(db: Db, config: Config, row: outbox.OutboxRow, error: string, report: DeliveryReport, now: () => Date): Promise<void> {
  if (row.attempts < MAX_ATTEMPTS) {
    const delay = backoffSeconds(config.mail.retrySeconds, row.attempts) * 1000;
    await outbox.markRetry(db.kysely, row, new Date(now().getTime() + delay), error);
    report.retried++;
  } else {
    await outbox.markFailed(db.kysely, row, error);
    report.failed++;
  }
}

async function deliverOne(
  db: Db,
  config: Config,
  mailer: Mailer,
  ctx: RenderContext,
  row: outbox.OutboxRow,
  sub: SubscriberRow | undefined,
  report: DeliveryReport,
  now: () => Date,
): Promise<void> {
  let mail;
  try {
    mail = await renderOutboxRow(ctx, row, sub);
  } catch (err) {
    // Often the database (a lock, a restart, a failover): temporary, like a 4xx. A message that truly cannot
    // be rendered is given up after MAX_ATTEMPTS, as one a server keeps deferring is.
    await retryOrFail(db, config, row, `render: ${(err as Error).message}`, report, now);
    return;
  }
  if ('cancel' in mail) {
    await outbox.markCancelled(db.kysely, row, mail.cancel);
    report.cancelled++;
    return;
  }
  // A batch can outlast its lease (a slow server): send only what is still ours, with the lease renewed.
  if (!(await outbox.renewLease(db.kysely, row, config.mail.leaseSeconds, now()))) return;
  // And kept while the server takes its time: a lease lapsing mid-send would let another instance send it again.
  const heartbeat = setInterval(() => void outbox.renewLease(db.kysely, row, config.mail.leaseSeconds, now()).catch(() => undefined), (config.mail.leaseSeconds * 1000) / 3);
  let outcome;
  try {
    outcome = await mailer.send(mail);
  } finally {
    clearInterval(heartbeat);
  }
  if (outcome.status === 'sent') {
    await outbox.markSent(db.kysely, row, now());
    report.sent++;
  } else if (outcome.status === 'temporary') {
    await retryOrFail(db, config, row, outcome.error, report, now);
  } else {
    await outbox.markFailed(db.kysely, row, outcome.error);
    report.failed++;
    // What a refusal means for the subscriber is the subscriptions side's rule, not the mailer's.
    if (sub && (await recordPermanentFailure(db.kysely, sub.id, config.mail.bounceLimit))) report.bounced++;
  }
}
