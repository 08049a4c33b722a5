/** All SQL of the references a collection keeps by their text (table `collection_references`, migration 0016). */
import type { Kysely, Selectable } from 'kysely';
import type { CollectionReferencesTable } from '../db/schema.collections.ts';
import type { Database } from '../db/schema.ts';

/** A reference as stored. */
export type ReferenceRow = Selectable<CollectionReferencesTable>;

/** Adds references to a collection; one per normalized title (a title kept already is left as it is). */
export async function insertReferences(db: Kysely<Database>, collectionId: number, refs: { title: string; abstract: string; titleNorm: string }[], now: string): Promise<void> {
  const rows = refs.map((r) => ({ collection_id: collectionId, title: r.title, abstract: r.abstract, title_norm: r.titleNorm, added_at: now }));
  // In chunks: PostgreSQL and SQLite bound the parameters of one statement.
  for (let at = 0; at < rows.length; at += 200) {
    await db
      .insertInto('collection_references')
      .values(rows.slice(at, at + 200))
      .onConflict((oc) => oc.columns(['collection_id', 'title_norm']).doNothing())
      .execute();
  }
}

/** Which of these normalized titles the collection keeps already. */
export async function titlesIn(db: Kysely<Database>, collectionId: number, titleNorms: string[]): Promise<string[]> {
  const out: string[] = [];
  for (let at = 0; at < titleNorms.length; at += 500) {
    const rows = await db.selectFrom('collection_references').select('title_norm').where('collection_id', '=', collectionId).where('title_norm', 'in', titleNorms.slice(at, at + 500)).execute();
    out.push(...rows.map((r) => r.title_norm));
  }
  return out;
}

/** How many references a collection keeps. */
export async function countReferences(db: Kysely<Database>, collectionId: number): Promise<number> {
  const row = await db.selectFrom('collection_references').select((eb) => eb.fn.countAll<number>().as('n')).where('collection_id', '=', collectionId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A collection's references, first kept first. */
export function referencesOf(db: Kysely<Database>, collectionId: number, limit: number): Promise<Pick<ReferenceRow, 'id' | 'title'>[]> {
  return db.selectFrom('collection_references').select(['id', 'title']).where('collection_id', '=', collectionId).orderBy('id').limit(limit).execute();
}

/** The references of a reader's collections kept after `since` (their text: signals for recommendations). */
export function readerReferences(db: Kysely<Database>, userId: number, since: string): Promise<Pick<ReferenceRow, 'id' | 'collection_id' | 'title' | 'abstract' | 'added_at'>[]> {
  return db
    .selectFrom('collection_references')
    .innerJoin('collections', 'collections.id', 'collection_references.collection_id')
    .select(['collection_references.id', 'collection_references.collection_id', 'collection_references.title', 'collection_references.abstract', 'collection_references.added_at'])
    .where('collections.user_id', '=', userId)
    .where('collection_references.added_at', '>', since)
    .orderBy('collection_references.id')
    .execute();
}

/** The titles of these references of a reader's collections (others' are not found). */
export function referenceTitles(db: Kysely<Database>, userId: number, ids: number[]): Promise<Pick<ReferenceRow, 'id' | 'title'>[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('collection_references')
    .innerJoin('collections', 'collections.id', 'collection_references.collection_id')
    .select(['collection_references.id', 'collection_references.title'])
    .where('collections.user_id', '=', userId)
    .where('collection_references.id', 'in', ids)
    .execute();
}
