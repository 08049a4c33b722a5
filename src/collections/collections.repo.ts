/** All SQL of collections (tables `collections` and `collection_papers`). */
import type { Kysely, Selectable } from 'kysely';
import type { CollectionsTable, CollectionVisibility } from '../db/schema.collections.ts';
import { plainSelect } from '../db/plain-sql.ts';
import type { Database } from '../db/schema.ts';

/** A collection as stored. */
export type CollectionRow = Selectable<CollectionsTable>;

/** A collection with its paper count and its owner's public name parts, for lists. */
export interface CollectionListRow extends CollectionRow {
  paper_count: number;
  owner_email: string;
  owner_display_name: string | null;
}

/** The collection with this public id, if any. */
export function getCollection(db: Kysely<Database>, publicId: string): Promise<CollectionRow | undefined> {
  return db.selectFrom('collections').selectAll().where('public_id', '=', publicId).executeTakeFirst();
}

/** Inserts a collection and returns it. */
export function insertCollection(
  db: Kysely<Database>,
  c: { publicId: string; userId: number; name: string; description: string; visibility: CollectionVisibility; now: string },
): Promise<CollectionRow> {
  return db
    .insertInto('collections')
    .values({ public_id: c.publicId, user_id: c.userId, name: c.name, description: c.description, visibility: c.visibility, created_at: c.now, updated_at: c.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** How many collections an account has. */
export async function countCollections(db: Kysely<Database>, userId: number): Promise<number> {
  const row = await db.selectFrom('collections').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Changes a collection's name, description or visibility (its owner's: `user_id` is part of the condition). */
export async function updateCollection(
  db: Kysely<Database>,
  c: { id: number; userId: number },
  patch: Partial<Pick<CollectionRow, 'name' | 'description' | 'visibility'>> & { updated_at: string },
): Promise<void> {
  await db.updateTable('collections').set(patch).where('id', '=', c.id).where('user_id', '=', c.userId).execute();
}

/** Deletes a collection of its owner, with its papers and the references it keeps by their text. */
export async function deleteCollection(db: Kysely<Database>, c: { id: number; userId: number }): Promise<void> {
  await db.deleteFrom('collection_papers').where('collection_id', '=', c.id).execute();
  await db.deleteFrom('collection_references').where('collection_id', '=', c.id).execute();
  await db.deleteFrom('collections').where('id', '=', c.id).where('user_id', '=', c.userId).execute();
}

function listQuery(db: Kysely<Database>) {
  return db
    .selectFrom('collections')
    .innerJoin('users', 'users.id', 'collections.user_id')
    .selectAll('collections')
    .select((eb) => [
      'users.email as owner_email',
      'users.display_name as owner_display_name',
      eb.selectFrom('collection_papers').select((e) => e.fn.countAll<number>().as('n')).whereRef('collection_papers.collection_id', '=', 'collections.id').as('paper_count'),
    ]);
}

/** An account's collections, most recently changed first. */
export async function collectionsOf(db: Kysely<Database>, userId: number): Promise<CollectionListRow[]> {
  const rows = await listQuery(db).where('collections.user_id', '=', userId).orderBy('collections.updated_at', 'desc').orderBy('collections.id', 'desc').execute();
  return rows.map((r) => ({ ...r, paper_count: Number(r.paper_count) }));
}

/** Whether the account has at least one collection (the `collections_user` index, one row). */
export async function hasCollections(db: Kysely<Database>, userId: number): Promise<boolean> {
  // Written out (plain-sql.ts): every signed-in page of cards asks.
  return (await plainSelect(db, 'SELECT 1 AS one FROM collections WHERE user_id = ? LIMIT 1', [userId])).length > 0;
}

/** One collection with its paper count and owner. */
export async function collectionListRow(db: Kysely<Database>, id: number): Promise<CollectionListRow | undefined> {
  const row = await listQuery(db).where('collections.id', '=', id).executeTakeFirst();
  return row && { ...row, paper_count: Number(row.paper_count) };
}

/** Public collections that hold at least one paper, most recently changed first (suspended owners' left out). */
export async function publicCollections(db: Kysely<Database>, limit: number, offset: number): Promise<{ rows: CollectionListRow[]; total: number }> {
  const listed = (qb: ReturnType<typeof listQuery>) =>
    qb
      .where('collections.visibility', '=', 'public')
      .where('users.status', '=', 'active')
      .where((eb) => eb.exists(eb.selectFrom('collection_papers').select('paper_id').whereRef('collection_papers.collection_id', '=', 'collections.id')));
  const rows = await listed(listQuery(db)).orderBy('collections.updated_at', 'desc').orderBy('collections.id', 'desc').limit(limit).offset(offset).execute();
  const total = await db
    .selectFrom('collections')
    .innerJoin('users', 'users.id', 'collections.user_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('collections.visibility', '=', 'public')
    .where('users.status', '=', 'active')
    .where((eb) => eb.exists(eb.selectFrom('collection_papers').select('paper_id').whereRef('collection_papers.collection_id', '=', 'collections.id')))
    .executeTakeFirstOrThrow();
  return { rows: rows.map((r) => ({ ...r, paper_count: Number(r.paper_count) })), total: Number(total.n) };
}

/** How many papers a collection holds. */
export async function countPapers(db: Kysely<Database>, collectionId: number): Promise<number> {
  const row = await db.selectFrom('collection_papers').select((eb) => eb.fn.countAll<number>().as('n')).where('collection_id', '=', collectionId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether a paper is in a collection. */
export async function hasPaper(db: Kysely<Database>, collectionId: number, paperId: number): Promise<boolean> {
  return (await db.selectFrom('collection_papers').select('paper_id').where('collection_id', '=', collectionId).where('paper_id', '=', paperId).executeTakeFirst()) !== undefined;
}

/** Which of these papers a collection holds. */
export async function papersIn(db: Kysely<Database>, collectionId: number, paperIds: number[]): Promise<number[]> {
  if (paperIds.length === 0) return [];
  const rows = await db.selectFrom('collection_papers').select('paper_id').where('collection_id', '=', collectionId).where('paper_id', 'in', paperIds).execute();
  return rows.map((r) => r.paper_id);
}

/** Adds papers (an existing one keeps its note unless `note` is given, then it is replaced). */
export async function upsertPapers(db: Kysely<Database>, collectionId: number, papers: { paperId: number; note?: string }[], now: string): Promise<void> {
  for (const p of papers) {
    await db
      .insertInto('collection_papers')
      .values({ collection_id: collectionId, paper_id: p.paperId, note: p.note ?? '', added_at: now })
      .onConflict((oc) => (p.note === undefined ? oc.columns(['collection_id', 'paper_id']).doNothing() : oc.columns(['collection_id', 'paper_id']).doUpdateSet({ note: p.note })))
      .execute();
  }
  await db.updateTable('collections').set({ updated_at: now }).where('id', '=', collectionId).execute();
}

/** Removes a paper; whether it was there. */
export async function deletePaper(db: Kysely<Database>, collectionId: number, paperId: number, now: string): Promise<boolean> {
  const r = await db.deleteFrom('collection_papers').where('collection_id', '=', collectionId).where('paper_id', '=', paperId).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) return false;
  await db.updateTable('collections').set({ updated_at: now }).where('id', '=', collectionId).execute();
  return true;
}

/** One page of a collection's papers (ids and notes), most recently added first. */
export async function paperEntries(db: Kysely<Database>, collectionId: number, limit: number, offset: number): Promise<{ paper_id: number; note: string; added_at: string }[]> {
  return db
    .selectFrom('collection_papers')
    .select(['paper_id', 'note', 'added_at'])
    .where('collection_id', '=', collectionId)
    .orderBy('added_at', 'desc')
    .orderBy('paper_id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** For each of these papers, the public ids of the account's collections that hold it. */
export async function memberships(db: Kysely<Database>, userId: number, paperIds: number[]): Promise<{ paper_id: number; public_id: string }[]> {
  if (paperIds.length === 0) return [];
  return db
    .selectFrom('collection_papers')
    .innerJoin('collections', 'collections.id', 'collection_papers.collection_id')
    .select(['collection_papers.paper_id', 'collections.public_id'])
    .where('collections.user_id', '=', userId)
    .where('collection_papers.paper_id', 'in', paperIds)
    .execute();
}
