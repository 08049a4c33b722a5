/** All SQL of digest preparation: the day's candidates, runs and their leases, subscribers in batches, received papers. */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DigestRunsTable } from '../db/schema.subscriptions.ts';
import type { AlertRow, SubscriberRow } from '../subscriptions/subscriptions.repo.ts';

/** A digest run row as stored. */
export type DigestRunRow = Selectable<DigestRunsTable>;

/** The latest announcement day on or before `day` that has papers. */
export async function latestAnnouncementDay(db: Kysely<Database>, onOrBefore: string): Promise<string | undefined> {
  const row = await db.selectFrom('papers').select((eb) => eb.fn.max('announced_on').as('day')).where('announced_on', '<=', onOrBefore).executeTakeFirst();
  return (row?.day as string | null) ?? undefined;
}

/** Whether any paper was listed on `day`. */
export async function hasPapersOn(db: Kysely<Database>, day: string): Promise<boolean> {
  return !!(await db.selectFrom('papers').select('id').where('announced_on', '=', day).limit(1).executeTakeFirst());
}

/** Papers listed from `from` to `to` (inclusive), hottest first: the digest's candidates. */
export async function rankedPaperIds(db: Kysely<Database>, from: string, to: string, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('papers')
    .select('id')
    .where('announced_on', '>=', from)
    .where('announced_on', '<=', to)
    .orderBy('hotness', 'desc')
    .orderBy('upvotes', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** What alert filters look at, for every paper listed from `from` to `to`. */
export async function windowPaperFacts(db: Kysely<Database>, from: string, to: string) {
  const inWindow = (qb: any) => qb.where('papers.announced_on', '>=', from).where('papers.announced_on', '<=', to);
  const papers = await inWindow(
    db.selectFrom('papers').leftJoin('organizations', 'organizations.id', 'papers.organization_id').select(['papers.id', 'organizations.slug as org']),
  ).execute();
  const categories = await inWindow(db.selectFrom('paper_categories').innerJoin('papers', 'papers.id', 'paper_categories.paper_id').select(['paper_id', 'category'])).execute();
  const authors = await inWindow(
    db
      .selectFrom('paper_authors')
      .innerJoin('papers', 'papers.id', 'paper_authors.paper_id')
      .innerJoin('authors', 'authors.id', 'paper_authors.author_id')
      .select(['paper_authors.paper_id', 'authors.name_norm']),
  ).execute();
  return { papers, categories, authors } as {
    papers: { id: number; org: string | null }[];
    categories: { paper_id: number; category: string }[];
    authors: { paper_id: number; name_norm: string }[];
  };
}

/** The run of a day, if it was started. */
export async function getRun(db: Kysely<Database>, day: string): Promise<DigestRunRow | undefined> {
  return db.selectFrom('digest_runs').selectAll().where('day', '=', day).executeTakeFirst();
}

/** Creates the run of a day with its ranking fixed once; a concurrent creator wins and we keep theirs. */
export async function createRun(db: Kysely<Database>, day: string, rankedIds: number[], now: Date): Promise<void> {
  await db
    .insertInto('digest_runs')
    .values({ day, ranked_ids: JSON.stringify(rankedIds), created_at: now.toISOString() })
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

/** The papers each subscriber with an id from `from` to `to` has received already (within the window kept). */
export async function receivedPapers(db: Kysely<Database>, from: number, to: number): Promise<Map<number, Set<number>>> {
  const out = new Map<number, Set<number>>();
  const rows = await db
    .selectFrom('digest_received')
    .select(['subscriber_id', 'paper_id'])
    .where('subscriber_id', '>=', from)
    .where('subscriber_id', '<=', to)
    .execute();
  for (const r of rows) (out.get(r.subscriber_id) ?? out.set(r.subscriber_id, new Set()).get(r.subscriber_id)!).add(r.paper_id);
  return out;
}

/** Records papers as received by subscribers (already-recorded pairs are left alone). */
export async function recordReceived(db: Kysely<Database>, rows: { subscriber_id: number; paper_id: number; day: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await db.insertInto('digest_received').values(rows.slice(i, i + 2000)).onConflict((oc) => oc.columns(['subscriber_id', 'paper_id']).doNothing()).execute();
  }
}

/** Forgets received papers of days before `day`: they are outside every future candidate window. */
export async function pruneReceived(db: Kysely<Database>, beforeDay: string): Promise<void> {
  await db.deleteFrom('digest_received').where('day', '<', beforeDay).execute();
}
