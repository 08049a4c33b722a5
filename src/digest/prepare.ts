/**
 * Prepares one announcement day's digests: fixes the day's ranking once, then walks active subscribers in id
 * order, and for each writes one outbox message (key `digest:<subscriber>:<day>`, due at the digest hour in
 * their time zone) plus the papers it will carry, so none is sent to them again. Each batch commits together
 * with the run's cursor under a lease: a process killed midway leaves a consistent prefix, and the next run
 * (here or in another process on the same database) continues after it.
 */
import type { DigestConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { addDays, isWeekend } from '../listings/period.ts';
import { enqueueMessages, type NewMessage } from '../mail/outbox.repo.ts';
import type { AlertRow, SubscriberRow } from '../subscriptions/subscriptions.repo.ts';
import { AlertMatcher, alertLabel } from './alerts.ts';
import { zonedHourToUtc } from './calendar.ts';
import * as repo from './digest.repo.ts';

/** Most papers listed under one alert in one mail (the rest are counted, with a link to see them). */
export const MAX_PER_ALERT = 10;
const WINDOW_LIMIT = 50_000;

/** What a digest message carries; rendered at send time. */
export interface DigestPayload {
  day: string;
  alerts: { alertId: number; label: string; ids: number[]; more: number; query: string | null; category: string | null; organization: string | null }[];
  top: number[];
}

/** How a preparation went. */
export interface PrepareReport {
  day: string;
  /** Why nothing was prepared, when nothing was. */
  skipped?: 'weekend' | 'no papers' | 'busy';
  subscribers: number;
  messages: number;
  distinctAlerts: number;
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

/** Builds one subscriber's digest from the day's shared ranking; undefined when it would be empty. */
export async function digestFor(
  sub: SubscriberRow,
  alerts: AlertRow[],
  ranked: number[],
  received: Set<number>,
  matcher: AlertMatcher,
  day: string,
): Promise<DigestPayload | undefined> {
  const taken = new Set(received);
  const sections: DigestPayload['alerts'] = [];
  for (const alert of alerts) {
    const fresh = (await matcher.match(alert)).filter((id) => !taken.has(id));
    if (fresh.length === 0) continue;
    const ids = fresh.slice(0, MAX_PER_ALERT);
    for (const id of ids) taken.add(id);
    sections.push({ alertId: alert.id, label: alertLabel(alert), ids, more: fresh.length - ids.length, query: alert.query, category: alert.category, organization: alert.organization });
  }
  const top: number[] = [];
  if (sub.digest_enabled) {
    for (const id of ranked) {
      if (top.length >= sub.digest_size) break;
      if (!taken.has(id)) top.push(id);
    }
  }
  if (top.length === 0 && sections.length === 0) return undefined;
  return { day, alerts: sections, top };
}

/** Prepares the digests of `day` for every active subscriber not yet prepared; safe to run concurrently and again. */
export async function prepareDigests(db: Db, config: DigestConfig, day: string, opts: PrepareOptions = {}): Promise<PrepareReport> {
  const started = performance.now();
  const now = () => opts.now ?? new Date();
  const report: PrepareReport = { day, subscribers: 0, messages: 0, distinctAlerts: 0, seconds: 0 };
  const done = (skipped?: PrepareReport['skipped']) => ({ ...report, skipped, seconds: (performance.now() - started) / 1000 });
  if (config.skipWeekends && isWeekend(day)) return done('weekend');
  if (!(await repo.hasPapersOn(db.kysely, day))) return done('no papers');

  const from = addDays(day, -(config.windowDays - 1));
  if (!(await repo.getRun(db.kysely, day))) await repo.createRun(db.kysely, day, await repo.rankedPaperIds(db.kysely, from, day, WINDOW_LIMIT), now());
  const leaseSeconds = opts.leaseSeconds ?? 120;
  const token = await repo.claimRun(db.kysely, day, leaseSeconds, now());
  if (!token) return done('busy');
  const run = (await repo.getRun(db.kysely, day))!;
  const ranked: number[] = JSON.parse(run.ranked_ids);
  let matcher: AlertMatcher | undefined;

  let cursor = run.cursor;
  for (;;) {
    const batch = await repo.activeSubscribersAfter(db.kysely, cursor, opts.batchSize ?? 2000);
    if (batch.length === 0) break;
    if (!matcher) {
      // Only when someone is left to prepare: a scheduler tick on a prepared day stops at the query above.
      matcher = new AlertMatcher(db, ranked, await repo.windowPaperFacts(db.kysely, from, day), { from, to: day });
      await repo.pruneReceived(db.kysely, from);
    }
    const first = batch[0].subscriber.id;
    const last = batch[batch.length - 1].subscriber.id;
    const received = await repo.receivedPapers(db.kysely, first, last);
    const messages: NewMessage[] = [];
    const receivedRows: { subscriber_id: number; paper_id: number; day: string }[] = [];
    const dueByZone = new Map<string, Date>();
    for (const { subscriber, alerts } of batch) {
      const payload = await digestFor(subscriber, alerts, ranked, received.get(subscriber.id) ?? new Set(), matcher, day);
      if (!payload) continue;
      let dueAt = dueByZone.get(subscriber.time_zone);
      if (!dueAt) dueByZone.set(subscriber.time_zone, (dueAt = opts.sendNow ? now() : zonedHourToUtc(day, config.hour, subscriber.time_zone)));
      messages.push({ key: `digest:${subscriber.id}:${day}`, kind: 'digest', subscriberId: subscriber.id, payload, dueAt });
      for (const id of [...payload.alerts.flatMap((a) => a.ids), ...payload.top]) receivedRows.push({ subscriber_id: subscriber.id, paper_id: id, day });
    }
    const held = await db.kysely.transaction().execute(async (trx) => {
      const added = await enqueueMessages(trx, messages, now());
      await repo.recordReceived(trx, receivedRows);
      // Only while we still hold the lease: otherwise roll back and leave the day to its new holder.
      if (!(await repo.advanceRun(trx, day, token, last, added, leaseSeconds, now()))) throw new LeaseLost();
      return added;
    }).catch((err) => {
      if (err instanceof LeaseLost) return undefined;
      throw err;
    });
    if (held === undefined) return { ...done('busy'), distinctAlerts: matcher.distinctAlerts };
    report.subscribers += batch.length;
    report.messages += held;
    cursor = last;
    await opts.onBatch?.(report.subscribers);
  }
  await repo.releaseRun(db.kysely, day, token, now());
  return { ...done(), distinctAlerts: matcher?.distinctAlerts ?? 0 };
}

class LeaseLost extends Error {}
