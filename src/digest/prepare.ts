/**
 * Prepares one announcement day's digests: walks active subscribers in id order and queues one placeholder
 * message for each who wants a digest or has an alert (key `digest:<subscriber>:<day>`, due at the digest
 * hour in their time zone). What a digest holds is decided when it is sent (compose.ts), from the papers and
 * votes known then. Each batch commits together with the run's cursor under a lease: a process killed
 * midway leaves a consistent prefix, and the next run (here or in another process on the same database)
 * continues after it — so a subscriber added later is queued by the next scheduler tick.
 */
import type { DigestConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { addDays, isWeekend } from '../listings/period.ts';
import { enqueueMessages, type NewMessage } from '../mail/outbox.repo.ts';
import { zonedHourToUtc } from './calendar.ts';
import { RECEIVED_GRACE_DAYS, type DigestPlaceholder } from './compose.ts';
import * as repo from './digest.repo.ts';
import { dayFetchSettled } from '../sources/sources.service.ts';

/** How a preparation went. */
export interface PrepareReport {
  day: string;
  /** Why nothing was prepared, when nothing was. */
  skipped?: 'weekend' | 'no papers' | 'busy' | 'waiting for fetch';
  subscribers: number;
  /** Digest messages queued (each composed when it is sent). */
  messages: number;
  seconds: number;
}

/** Options of one preparation. */
export interface PrepareOptions {
  now?: Date;
  /** Make every message due now instead of at the digest hour (CLI `--now`, the admin button). */
  sendNow?: boolean;
  batchSize?: number;
  leaseSeconds?: number;
  /** Called after each committed batch (tests use it to stop midway). */
  onBatch?: (prepared: number) => void | Promise<void>;
}

/** Queues the digests of `day` for every active subscriber not yet prepared; safe to run concurrently and again. */
export async function prepareDigests(db: Db, config: DigestConfig, day: string, opts: PrepareOptions = {}): Promise<PrepareReport> {
  const started = performance.now();
  const now = () => opts.now ?? new Date();
  const report: PrepareReport = { day, subscribers: 0, messages: 0, seconds: 0 };
  const done = (skipped?: PrepareReport['skipped']) => ({ ...report, skipped, seconds: (performance.now() - started) / 1000 });
  if (config.skipWeekends && isWeekend(day)) return done('weekend');
  if (!(await repo.hasPapersOn(db.kysely, day))) return done('no papers');
  // A subscriber never gets half a day: the day's fetch of every enabled arXiv source settles first, or the
  // deadline passes. Sending by hand (`--now`, the admin button) is the operator's call and does not wait.
  if (!opts.sendNow && !(await dayFetchSettled(db, day, now(), config.fetchDeadlineHours)).settled) return done('waiting for fetch');

  if (!(await repo.getRun(db.kysely, day))) await repo.createRun(db.kysely, day, now());
  const leaseSeconds = opts.leaseSeconds ?? 120;
  const token = await repo.claimRun(db.kysely, day, leaseSeconds, now());
  if (!token) return done('busy');
  const run = (await repo.getRun(db.kysely, day))!;
  const placeholder: DigestPlaceholder = { day };
  let pruned = false;

  let cursor = run.cursor;
  for (;;) {
    const batch = await repo.activeSubscribersAfter(db.kysely, cursor, opts.batchSize ?? 2000);
    if (batch.length === 0) break;
    if (!pruned) {
      // Only when someone is left to prepare: a scheduler tick on a prepared day stops at the query above.
      await repo.pruneReceived(db.kysely, addDays(day, -(config.windowDays - 1) - RECEIVED_GRACE_DAYS));
      pruned = true;
    }
    const last = batch[batch.length - 1].subscriber.id;
    const messages: NewMessage[] = [];
    const dueByZone = new Map<string, Date>();
    for (const { subscriber, alerts } of batch) {
      if (!subscriber.digest_enabled && alerts.length === 0) continue;
      let dueAt = dueByZone.get(subscriber.time_zone);
      if (!dueAt) dueByZone.set(subscriber.time_zone, (dueAt = opts.sendNow ? now() : zonedHourToUtc(day, config.hour, subscriber.time_zone)));
      messages.push({ key: `digest:${subscriber.id}:${day}`, kind: 'digest', subscriberId: subscriber.id, payload: placeholder, dueAt });
    }
    const held = await db.kysely.transaction().execute(async (trx) => {
      const added = await enqueueMessages(trx, messages, now());
      // Only while we still hold the lease: otherwise roll back and leave the day to its new holder.
      if (!(await repo.advanceRun(trx, day, token, last, added, leaseSeconds, now()))) throw new LeaseLost();
      return added;
    }).catch((err) => {
      if (err instanceof LeaseLost) return undefined;
      throw err;
    });
    if (held === undefined) return done('busy');
    report.subscribers += batch.length;
    report.messages += held;
    cursor = last;
    await opts.onBatch?.(report.subscribers);
  }
  await repo.releaseRun(db.kysely, day, token, now());
  return done();
}

class LeaseLost extends Error {}
