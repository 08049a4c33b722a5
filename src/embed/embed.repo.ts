import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** The text fields of a paper to embed. */
export interface PaperToEmbed {
  id: number;
  title: string;
  abstract: string;
}

/** A vector ready to store. */
export interface VectorRow {
  paperId: number;
  vector: Uint8Array;
}

/**
 * Papers after `afterId` (in id order) that have no vector made by `embedder` — either none at all
 * or one from another embedder. `all` ignores existing vectors (for re-embedding everything).
 */
export async function papersWithoutVector(db: Kysely<Database>, embedder: string, afterId: number, limit: number, all = false): Promise<PaperToEmbed[]> {
  let q = db
    .selectFrom('papers')
    .select(['papers.id', 'papers.title', 'papers.abstract'])
    .where('papers.id', '>', afterId)
    .orderBy('papers.id')
    .limit(limit);
  if (!all) {
    q = q
      .leftJoin('paper_vectors', (j) => j.onRef('paper_vectors.paper_id', '=', 'papers.id').on('paper_vectors.embedder', '=', embedder))
      .where('paper_vectors.paper_id', 'is', null);
  }
  return q.execute();
}

/** How many papers `papersWithoutVector` would return in total. */
export async function countPapersWithoutVector(db: Kysely<Database>, embedder: string, all = false): Promise<number> {
  let q = db.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n'));
  if (!all) {
    q = q
      .leftJoin('paper_vectors', (j) => j.onRef('paper_vectors.paper_id', '=', 'papers.id').on('paper_vectors.embedder', '=', embedder))
      .where('paper_vectors.paper_id', 'is', null);
  }
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Counts of stored vectors per embedder id. */
export async function countVectorsByEmbedder(db: Kysely<Database>): Promise<{ embedder: string; vectors: number }[]> {
  const rows = await db
    .selectFrom('paper_vectors')
    .select(['embedder', (eb) => eb.fn.countAll<number>().as('vectors')])
    .groupBy('embedder')
    .orderBy('embedder')
    .execute();
  return rows.map((r) => ({ embedder: r.embedder, vectors: Number(r.vectors) }));
}

/** Stores vectors made by `embedder`, replacing whatever vector each paper had. */
export async function upsertVectors(db: Kysely<Database>, embedder: string, dimensions: number, rows: VectorRow[], now = new Date().toISOString()): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('paper_vectors')
    .values(rows.map((r) => ({ paper_id: r.paperId, embedder, dimensions, vector: r.vector, created_at: now })))
    .onConflict((oc) =>
      oc.column('paper_id').doUpdateSet((eb) => ({
        embedder: eb.ref('excluded.embedder'),
        dimensions: eb.ref('excluded.dimensions'),
        vector: eb.ref('excluded.vector'),
        created_at: eb.ref('excluded.created_at'),
      })),
    )
    .execute();
}
