/**
 * All SQL of recommendations: the stored vocabulary, reader models, mutes and settings (migration 0013),
 * and the reads of the signals they are trained from (votes, collections, "not interested", follows)
 * and of the papers they rank.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { MuteKind } from '../db/schema.recommend.ts';
import { bytesToVector } from '../embed/embedder.ts';

type K = Kysely<Database>;

/** The newest stored vocabulary. */
export function latestVocabulary(db: K) {
  return db.selectFrom('recommend_vocabularies').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(1).executeTakeFirst();
}

/** Stores a vocabulary (a second instance fitting the same one at the same time is harmless). */
export async function insertVocabulary(db: K, row: { id: string; body: string; papers: number; created_at: string }): Promise<void> {
  await db.insertInto('recommend_vocabularies').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
}

/** A paper's text as the recommender reads it. */
export interface TextRow {
  id: number;
  title: string;
  abstract: string;
  announced_on: string | null;
  categories: string[];
  vector?: Float32Array;
}

/** Title, abstract, day, categories (and the vector under `embedder`) of the given papers. */
export async function paperTexts(db: K, ids: readonly number[], embedder: string | null): Promise<TextRow[]> {
  if (ids.length === 0) return [];
  const out: TextRow[] = [];
  for (let at = 0; at < ids.length; at += 500) {
    const chunk = ids.slice(at, at + 500);
    const rows = await db.selectFrom('papers').select(['id', 'title', 'abstract', 'announced_on']).where('id', 'in', chunk).execute();
    const cats = await db.selectFrom('paper_categories').select(['paper_id', 'category']).where('paper_id', 'in', chunk).orderBy('paper_id').orderBy('is_primary', 'desc').execute();
    const vectors = embedder ? await db.selectFrom('paper_vectors').select(['paper_id', 'vector']).where('embedder', '=', embedder).where('paper_id', 'in', chunk).execute() : [];
    const catsOf = new Map<number, string[]>();
    for (const c of cats) (catsOf.get(c.paper_id) ?? catsOf.set(c.paper_id, []).get(c.paper_id)!).push(c.category);
    const vectorOf = new Map(vectors.map((v) => [v.paper_id, bytesToVector(v.vector)]));
    for (const r of rows) out.push({ ...r, categories: catsOf.get(r.id) ?? [], vector: vectorOf.get(r.id) });
  }
  const order = new Map(ids.map((id, i) => [id, i]));
  return out.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/** The ids of the newest `limit` papers (by id: the order they arrived in), for fitting and background. */
export async function newestPaperIds(db: K, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('papers').select('id').where('withdrawn', '=', 0).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => r.id).reverse();
}

/** The embedder with the most stored vectors (the one the search index uses), or null. */
export async function mainEmbedder(db: K): Promise<string | null> {
  const row = await db
    .selectFrom('paper_vectors')
    .select(['embedder', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('embedder')
    .orderBy('n', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.embedder ?? null;
}

/** A reader's signal rows: each paper id with when and how. */
export interface SignalRows {
  votes: { paper_id: number; at: string }[];
  collected: { paper_id: number; at: string; collection_id: number }[];
  dismissed: { paper_id: number; at: string }[];
  follows: { author: string | null; organization: string | null; category: string | null }[];
  mutes: { kind: MuteKind; value: string }[];
}

/** Everything a reader's models are trained from (`collectionId` limits the collection papers to one). */
export async function signalRows(db: K, userId: number, since: string | null): Promise<SignalRows> {
  const after = since ?? '';
  const votes = await db.selectFrom('paper_votes').select(['paper_id', 'created_at as at']).where('user_id', '=', userId).where('created_at', '>', after).orderBy('created_at').execute();
  const collected = await db
    .selectFrom('collection_papers')
    .innerJoin('collections', 'collections.id', 'collection_papers.collection_id')
    .select(['collection_papers.paper_id', 'collection_papers.added_at as at', 'collections.id as collection_id'])
    .where('collections.user_id', '=', userId)
    .where('collection_papers.added_at', '>', after)
    .orderBy('collection_papers.added_at')
    .execute();
  const dismissed = await db
    .selectFrom('reading_states')
    .select(['paper_id', 'updated_at as at'])
    .where('user_id', '=', userId)
    .where('state', '=', 'dismissed')
    .where('updated_at', '>', after)
    .orderBy('updated_at')
    .execute();
  const follows = await db
    .selectFrom('follows')
    .leftJoin('authors', 'authors.id', 'follows.author_id')
    .leftJoin('organizations', 'organizations.id', 'follows.organization_id')
    .select(['authors.name as author', 'organizations.name as organization', 'follows.category'])
    .where('follows.user_id', '=', userId)
    .execute();
  const mutes = await db.selectFrom('recommend_mutes').select(['kind', 'value']).where('user_id', '=', userId).orderBy('created_at').execute();
  return { votes, collected, dismissed, follows, mutes };
}

/**
 * A short summary of a reader's signals that changes whenever one does (a vote, a save, "not
 * interested", a follow, a mute, an uploaded reference, a reset): counts and latest times, in one round trip; and when the
 * latest of them was given (null: none).
 */
export async function signalFingerprint(db: K, userId: number): Promise<{ fingerprint: string; latestAt: string | null }> {
  // One scan per table: each aggregate subquery is a single row, cross-joined into one.
  const row = await sql<Record<'v' | 'c' | 'd' | 'f' | 'm' | 'r', string> & Record<'vAt' | 'cAt' | 'dAt' | 'fAt' | 'mAt' | 'rAt' | 's', string | null>>`
    select sv.n as v, sv.at as "vAt", sc.n as c, sc.at as "cAt", sd.n as d, sd.at as "dAt", sf.n as f, sf.at as "fAt", sm.n as m, sm.at as "mAt", sr.n as r, sr.at as "rAt", ss.s as s
    from (select count(*) as n, max(created_at) as at from paper_votes where user_id = ${userId}) sv
    cross join (select count(*) as n, max(cp.added_at) as at from collection_papers cp join collections c on c.id = cp.collection_id where c.user_id = ${userId}) sc
    cross join (select count(*) as n, max(updated_at) as at from reading_states where user_id = ${userId} and state = 'dismissed') sd
    cross join (select count(*) as n, max(created_at) as at from follows where user_id = ${userId}) sf
    cross join (select count(*) as n, max(created_at) as at from recommend_mutes where user_id = ${userId}) sm
    cross join (select count(*) as n, max(cr.added_at) as at from collection_references cr join collections c on c.id = cr.collection_id where c.user_id = ${userId}) sr
    cross join (select max(categories || '@' || coalesce(reset_at, '')) as s from recommend_settings where user_id = ${userId}) ss`.execute(db);
  const r = row.rows[0];
  const parts = (['v', 'c', 'd', 'f', 'm', 'r'] as const).map((k) => `${r[k]}:${r[`${k}At`] ?? ''}`);
  const resetAt = r.s?.split('@').pop() || null;
  // ISO timestamps of one clock (the real one: signals are stamped when given): the greatest string is the latest.
  const latestAt = [r.vAt, r.cAt, r.dAt, r.fAt, r.mAt, r.rAt, resetAt].reduce<string | null>((a, b) => (b && (!a || b > a) ? b : a), null);
  return { fingerprint: [...parts, r.s ?? ''].join('|'), latestAt };
}

/** What says which model a stored row is (its body is read only when this process has not parsed it). */
export function getModelMeta(db: K, userId: number, stream: string) {
  return db.selectFrom('reader_models').select(['fingerprint', 'vocabulary_id', 'trained_at']).where('user_id', '=', userId).where('stream', '=', stream).executeTakeFirst();
}

/** A stored model row. */
export function getModelRow(db: K, userId: number, stream: string) {
  return db.selectFrom('reader_models').selectAll().where('user_id', '=', userId).where('stream', '=', stream).executeTakeFirst();
}

/** Stores (or replaces) a model. */
export async function putModelRow(db: K, row: { user_id: number; stream: string; vocabulary_id: string; fingerprint: string; body: string; trained_at: string }): Promise<void> {
  await db
    .insertInto('reader_models')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'stream']).doUpdateSet({ vocabulary_id: row.vocabulary_id, fingerprint: row.fingerprint, body: row.body, trained_at: row.trained_at }))
    .execute();
}

/** Adds a mute (again is a no-op). */
export async function insertMute(db: K, userId: number, kind: MuteKind, value: string, now: string): Promise<void> {
  await db.insertInto('recommend_mutes').values({ user_id: userId, kind, value, created_at: now }).onConflict((oc) => oc.columns(['user_id', 'kind', 'value']).doNothing()).execute();
}

/** Removes a mute. */
export async function deleteMute(db: K, userId: number, kind: MuteKind, value: string): Promise<void> {
  await db.deleteFrom('recommend_mutes').where('user_id', '=', userId).where('kind', '=', kind).where('value', '=', value).execute();
}

/** A reader's settings row. */
export function getSettings(db: K, userId: number) {
  return db.selectFrom('recommend_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Creates or changes a reader's settings. */
export async function putSettings(db: K, row: { user_id: number; categories: string; feed_nonce: string; reset_at: string | null; updated_at: string }): Promise<void> {
  await db
    .insertInto('recommend_settings')
    .values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ categories: row.categories, feed_nonce: row.feed_nonce, reset_at: row.reset_at, updated_at: row.updated_at }))
    .execute();
}

/** Forgets every mute and model of a reader (the learned-model page's reset). */
export async function clearLearned(db: K, userId: number): Promise<void> {
  await db.deleteFrom('recommend_mutes').where('user_id', '=', userId).execute();
  await db.deleteFrom('reader_models').where('user_id', '=', userId).execute();
}

/** subscriber id → the account it belongs to, for the given subscribers that have one (active accounts only). */
export async function accountsOfSubscribers(db: K, subscriberIds: readonly number[]): Promise<Map<number, number>> {
  if (subscriberIds.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'subscriber_id']).where('subscriber_id', 'in', [...subscriberIds]).where('status', '=', 'active').execute();
  return new Map(rows.flatMap((r) => (r.subscriber_id === null ? [] : [[r.subscriber_id, r.id] as [number, number]])));
}
