/**
 * Sends what the outbox holds that is due: claims messages under a lease, renders each, hands it to the mailer
 * and records the outcome. Temporary failures (4xx, connection trouble) come back later with exponential
 * backoff; permanent ones (5xx) count against the address, which gets no more mail past MAIL_BOUNCE_LIMIT.
 */
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Paper } from '../papers/paper.ts';
import { secretKeyOf } from '../secret-key.ts';
import { getSubscribers, type SubscriberRow } from '../subscriptions/subscriptions.repo.ts';
import type { Mailer } from './mailer.ts';
import * as outbox from './outbox.repo.ts';
import { renderOutboxRow } from './render-outbox.ts';

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
  seconds: number;
}

/** Options of one delivery pass. */
export interface DeliveryOptions {
  now?: () => Date;
  /** Parallel sends (the SMTP pool keeps up to 5 connections). */
  concurrency?: number;
  /** Stop after this many messages (default: until nothing is due). */
  limit?: number;
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
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0, cancelled: 0, bounced: 0, seconds: 0 };
  const papers = new Map<number, Paper>();
  const renderedRows = new Map<string, string>();
  const subscribers = new Map<number, SubscriberRow>();
  let handled = 0;
  // One pass sends what was due when it started: a message put back for a retry waits for a later pass.
  const dueBy = now();
  for (;;) {
    const want = Math.min(concurrency * 4, (opts.limit ?? Infinity) - handled);
    if (want <= 0) break;
    const rows = await outbox.claimDueMessages(db.kysely, db.dialect, want, config.mail.leaseSeconds, now(), dueBy);
    if (rows.length === 0) break;
    handled += rows.length;
    subscribers.clear();
    for (const sub of await getSubscribers(db.kysely, [...new Set(rows.map((r) => r.subscriber_id))])) subscribers.set(sub.id, sub);
    const ctx = { db: db.kysely, baseUrl: config.publicBaseUrl, key: secretKeyOf(config), now: now(), papers, rows: renderedRows };
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const row = rows[next++];
        await deliverOne(db, config, mailer, ctx, row, subscribers.get(row.subscriber_id), report, now);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
  }
  return { ...report, seconds: (performance.now() - started) / 1000 };
}

async function deliverOne(
  db: Db,
  config: Config,
  mailer: Mailer,
  ctx: Parameters<typeof renderOutboxRow>[0],
  row: outbox.OutboxRow,
  sub: SubscriberRow | undefined,
  report: DeliveryReport,
  now: () => Date,
): Promise<void> {
  let mail;
  try {
    mail = await renderOutboxRow(ctx, row, sub);
  } catch (err) {
    // A message that cannot be rendered will not render next time either.
    await outbox.markFailed(db.kysely, row, `render: ${(err as Error).message}`);
    report.failed++;
    return;
  }
  if ('cancel' in mail) {
    await outbox.markCancelled(db.kysely, row, mail.cancel);
    report.cancelled++;
    return;
  }
  // A batch can outlast its lease (a slow server): send only what is still ours, with the lease renewed.
  if (!(await outbox.renewLease(db.kysely, row, config.mail.leaseSeconds, now()))) return;
  const outcome = await mailer.send(mail);
  if (outcome.status === 'sent') {
    await outbox.markSent(db.kysely, row, now());
    report.sent++;
  } else if (outcome.status === 'temporary' && row.attempts < MAX_ATTEMPTS) {
    const delay = backoffSeconds(config.mail.retrySeconds, row.attempts) * 1000;
    await outbox.markRetry(db.kysely, row, new Date(now().getTime() + delay), outcome.error);
    report.retried++;
  } else {
    await outbox.markFailed(db.kysely, row, outcome.error);
    report.failed++;
    if (outcome.status === 'permanent' && sub && (await countPermanentFailure(db, config, sub))) report.bounced++;
  }
}

/** Counts a permanent failure against the address; true when it crossed the limit and was stopped now. */
async function countPermanentFailure(db: Db, config: Config, sub: SubscriberRow): Promise<boolean> {
  const row = await db.kysely
    .updateTable('subscribers')
    .set((eb) => ({ permanent_failures: eb('permanent_failures', '+', 1) }))
    .where('id', '=', sub.id)
    .returning(['permanent_failures', 'status'])
    .executeTakeFirst();
  if (!row || row.permanent_failures < config.mail.bounceLimit || row.status === 'bounced') return false;
  await db.kysely.updateTable('subscribers').set({ status: 'bounced' }).where('id', '=', sub.id).execute();
  await outbox.cancelPendingFor(db.kysely, sub.id, 'address bounced');
  return true;
}
