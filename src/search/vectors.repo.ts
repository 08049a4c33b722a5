/** Reading `paper_vectors` for the in-process vector index (the embedding job writes it; src/embed). */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** One stored vector as read back. */
export interface StoredVector {
  paperId: number;
  dimensions: number;
  vector: Uint8Array;
  createdAt: string;
}

const columns = ['paper_id as paperId', 'dimensions', 'vector', 'created_at as createdAt'] as const;

/** A page of an embedder's vectors in paper id order, after `afterPaperId` (a full load). */
export async function vectorsAfter(db: Kysely<Database>, embedder: string, afterPaperId: number, limit: number): Promise<StoredVector[]> {
  return db
    .selectFrom('paper_vectors')
    .select(columns)
    .where('embedder', '=', embedder)
    .where('paper_id', '>', afterPaperId)
    .orderBy('paper_id')
    .limit(limit)
    .execute();
}

/** An embedder's vectors written after a mark (timestamp, then paper id for equal timestamps), oldest first. */
export async function vectorsWrittenAfter(
  db: Kysely<Database>,
  embedder: string,
  mark: { at: string; paperId: number },
  limit: number,
): Promise<StoredVector[]> {
  return db
    .selectFrom('paper_vectors')
    .select(columns)
    .where('embedder', '=', embedder)
    .where('created_at', '>=', mark.at)
    .where((eb) => eb.or([eb('created_at', '>', mark.at), eb('paper_id', '>', mark.paperId)]))
    .orderBy('created_at')
    .orderBy('paper_id')
    .limit(limit)
    .execute();
}

/** How many vectors an embedder has stored. */
export async function countVectors(db: Kysely<Database>, embedder: string): Promise<number> {
  const row = await db.selectFrom('paper_vectors').select((eb) => eb.fn.countAll<number>().as('n')).where('embedder', '=', embedder).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One paper's vector by an embedder, if it has one. */
export async function vectorOf(db: Kysely<Database>, embedder: string, paperId: number): Promise<StoredVector | undefined> {
  return db.selectFrom('paper_vectors').select(columns).where('embedder', '=', embedder).where('paper_id', '=', paperId).executeTakeFirst();
}

/** Whether any paper has a vector from any embedder. */
export async function hasAnyVector(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('paper_vectors').select('paper_id').limit(1).executeTakeFirst()) !== undefined;
}
