/**
 * All SQL of digests: a window's candidates and their fingerprint, runs and their leases, subscribers and alerts
 * in batches, received papers.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DigestRunsTable } from '../db/schema.subscriptions.ts';
import type { AlertRow, SubscriberRow } from '../subscriptions/subscriptions.repo.ts';

/** A digest run row as stored. */
export type DigestRunRow = Selectable<DigestRunsTable>;

/** Whether any paper was listed on `day`. */
export async function hasPapersOn(db: Kysely<Database>, day: string): Promise<boolean> {
  return !!(await db.selectFrom('papers').select('id').where('announced_on', '=', day).limit(1).executeTakeFirst());
}

/**
 * What alert matches of a window depend on, in three numbers: a paper added, removed or changed by an import
 * (text, categories, authors: every write sets `modified_at`) changes them. Votes change the ranking only,
 * which is read afresh anyway.
 */
export async function windowFingerprint(db: Kysely<Database>, from: string, to: string): Promise<string> {
  const row = await db
    .selectFrom('papers')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('maxId'), eb.fn.max('modified_at').as('modified')])
    .where('announced_on', '>=', from)
    .where('announced_on', '<=', to)
    .executeTakeFirstOrThrow();
  return `${Number(row.n)}:${row.maxId ?? 0}:${row.modified ?? ''}`;
}

/** The run of a day, if it was started. */
export async function getRun(db: Kysely<Database>, day: string): Promise<DigestRunRow | undefined> {
  return db.selectFrom('digest_runs').selectAll().where('day', '=', day).executeTakeFirst();
}

/** Creates the run of a day; a concurrent creator wins and we keep theirs. */
export async function createRun(db: Kysely<Database>, day: string, now: Date): Promise<void> {
  await db
    .insertInto('digest_runs')
    .values({ day, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
}

/** Takes the day's preparation lease if nobody holds it; returns the lease token, or undefined when another process does. */
export async function claimRun(db: Kysely<Database>, day: string, leaseSeconds: number, now: Date): Promise<string | undefined> {
  const token = randomUUID();
  const r = await db
    .updateTable('digest_runs')
    .set({ lease_token: token, lease_until: new Date(now.getTime() + leaseSeconds * 1000).toISOString() })
    .where('day', '=', day)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now.toISOString())]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1 ? token : undefined;
}

/** Moves the cursor and renews the lease, only while we still hold it; false means stop (lease lost). */
export async function advanceRun(db: Kysely<Database>, day: string, token: string, cursor: number, messages: number, leaseSeconds: number, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('digest_runs')
    .set((eb) => ({ cursor, messages: eb('messages', '+', messages), lease_until: new Date(now.getTime() + leaseSeconds * 1000).toISOString() }))
    .where('day', '=', day)
    .where('lease_token', '=', token)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Releases the lease, marking the day prepared up to its cursor. */
export async function releaseRun(db: Kysely<Database>, day: string, token: string, now: Date): Promise<void> {
  await db.updateTable('digest_runs').set({ lease_token: null, lease_until: null, prepared_at: now.toISOString() }).where('day', '=', day).where('lease_token', '=', token).execute();
}

/** Active subscribers with ids above `after`, in id order, with their alerts. */
export async function activeSubscribersAfter(db: Kysely<Database>, after: number, limit: number): Promise<{ subscriber: SubscriberRow; alerts: AlertRow[] }[]> {
  const subs = await db.selectFrom('subscribers').selectAll().where('status', '=', 'active').where('id', '>', after).orderBy('id').limit(limit).execute();
  if (subs.length === 0) return [];
  const alerts = await db
    .selectFrom('subscriber_alerts')
    .selectAll()
    .where('subscriber_id', '>=', subs[0].id)
    .where('subscriber_id', '<=', subs[subs.length - 1].id)
    .orderBy('id')
    .execute();
  const bySub = new Map<number, AlertRow[]>();
  for (const a of alerts) (bySub.get(a.subscriber_id) ?? bySub.set(a.subscriber_id, []).get(a.subscriber_id)!).push(a);
  return subs.map((s) => ({ subscriber: s, alerts: bySub.get(s.id) ?? [] }));
}

/** The alerts of these subscribers, by subscriber. */
export async function alertsOf(db: Kysely<Database>, subscriberIds: number[]): Promise<Map<number, AlertRow[]>> {
  const out = new Map<number, AlertRow[]>();
  if (subscriberIds.length === 0) return out;
  const rows = await db.selectFrom('subscriber_alerts').selectAll().where('subscriber_id', 'in', subscriberIds).orderBy('id').execute();
  for (const a of rows) (out.get(a.subscriber_id) ?? out.set(a.subscriber_id, []).get(a.subscriber_id)!).push(a);
  return out;
}

/** The papers these subscribers have received already (within the days kept), by subscriber. */
export async function receivedPapers(db: Kysely<Database>, subscriberIds: number[]): Promise<Map<number, Set<number>>> {
  const out = new Map<number, Set<number>>();
  if (subscriberIds.length === 0) return out;
  const rows = await db.selectFrom('digest_received').select(['subscriber_id', 'paper_id']).where('subscriber_id', 'in', subscriberIds).execute();
  for (const r of rows) (out.get(r.subscriber_id) ?? out.set(r.subscriber_id, new Set()).get(r.subscriber_id)!).add(r.paper_id);
  return out;
}

/** A paper a subscriber receives, with the digest day that carries it. */
export interface ReceivedRow {
  subscriber_id: number;
  paper_id: number;
  day: string;
}

/**
 * Records papers as received and returns the pairs that were new. A pair recorded already (by a digest
 * composed at the same moment elsewhere) is left alone and not returned: the key decides who sends it.
 */
export async function recordReceived(db: Kysely<Database>, rows: ReceivedRow[]): Promise<{ subscriber_id: number; paper_id: number }[]> {
  const added: { subscriber_id: number; paper_id: number }[] = [];
  // In key order, so two transactions inserting overlapping pairs wait for each other instead of deadlocking.
  const sorted = [...rows].sort((a, b) => a.subscriber_id - b.subscriber_id || a.paper_id - b.paper_id);
  for (let i = 0; i < sorted.length; i += 2000) {
    const inserted = await db
      .insertInto('digest_received')
      .values(sorted.slice(i, i + 2000))
      .onConflict((oc) => oc.columns(['subscriber_id', 'paper_id']).doNothing())
      .returning(['subscriber_id', 'paper_id'])
      .execute();
    added.push(...inserted);
  }
  return added;
}

/** Forgets received papers of digest days before `beforeDay` (the caller knows which days a digest can still need). */
export async function pruneReceived(db: Kysely<Database>, beforeDay: string): Promise<void> {
  await db.deleteFrom('digest_received').where('day', '<', beforeDay).execute();
}
