import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** The text fields of a paper to embed, and the revision of that text. */
export interface PaperToEmbed {
  id: number;
  title: string;
  abstract: string;
  textRevision: number;
}

/** A vector ready to store, made from the paper's text at `textRevision` (0, the oldest, when not given). */
export interface VectorRow {
  paperId: number;
  vector: Uint8Array;
  textRevision?: number;
}

/** Papers with an id in `afterId < id <= throughId`. */
export interface IdWindow {
  afterId: number;
  throughId: number;
}

/**
 * Papers of an id window, in id order, whose vector by `embedder` is missing — none at all or one from
 * another embedder — or was made from an older text revision; every paper of the window with `all`.
 * The window bounds how many rows one query reads: on SQLite a query holds the event loop.
 */
export async function papersToEmbed(db: Kysely<Database>, embedder: string, window: IdWindow, limit: number, all = false): Promise<PaperToEmbed[]> {
  let q = db
    .selectFrom('papers')
    .select(['papers.id', 'papers.title', 'papers.abstract', 'papers.text_revision as textRevision'])
    .where('papers.id', '>', window.afterId)
    .where('papers.id', '<=', window.throughId)
    .orderBy('papers.id')
    .limit(limit);
  if (!all) {
    q = q
      .leftJoin('paper_vectors', (j) => j.onRef('paper_vectors.paper_id', '=', 'papers.id').on('paper_vectors.embedder', '=', embedder))
      .where((eb) => eb.or([eb('paper_vectors.paper_id', 'is', null), eb('paper_vectors.text_revision', '<', eb.ref('papers.text_revision'))]));
  }
  return q.execute();
}

/** How far an embedder's vectors trail the papers. */
export interface EmbeddingBacklog {
  /** Papers without a vector by this embedder. */
  missing: number;
  /** Vectors made from an older title or abstract than the paper has now. */
  stale: number;
}

/**
 * What an embedding job would have to do, cheap enough for a server to ask every few minutes on a large
 * store. First, from index entries only (no paper or vector rows), in one statement: a vector always has
 * its paper (one per paper, deleted with it), so `missing` is papers less vectors; and as a vector keeps
 * the text revision it was made from while a paper's only grows, when every paper has a vector, equal sums
 * of revisions mean none is stale. Only otherwise are the edited papers' vectors checked one by one.
 */
export async function embeddingBacklog(db: Kysely<Database>, embedder: string): Promise<EmbeddingBacklog> {
  const totals = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('papers').select((e) => e.fn.countAll<number>().as('n')).as('papers'),
      eb.selectFrom('papers').select((e) => e.fn.sum<number>('text_revision').as('n')).as('paperRevisions'),
      eb.selectFrom('paper_vectors').select((e) => e.fn.countAll<number>().as('n')).where('embedder', '=', embedder).as('vectors'),
      eb.selectFrom('paper_vectors').select((e) => e.fn.sum<number>('text_revision').as('n')).where('embedder', '=', embedder).as('vectorRevisions'),
    ])
    .executeTakeFirstOrThrow();
  const missing = Number(totals.papers) - Number(totals.vectors);
  if (missing === 0 && Number(totals.paperRevisions ?? 0) === Number(totals.vectorRevisions ?? 0)) return { missing, stale: 0 };
  // EXISTS, not a join: SQLite would otherwise walk every vector and read each one's wide paper row.
  const stale = await db
    .selectFrom('papers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('papers.text_revision', '>', 0)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('paper_vectors')
          .select('paper_vectors.paper_id')
          .whereRef('paper_vectors.paper_id', '=', 'papers.id')
          .where('paper_vectors.embedder', '=', embedder)
          .whereRef('paper_vectors.text_revision', '<', 'papers.text_revision'),
      ),
    )
    .executeTakeFirstOrThrow();
  return { missing, stale: Number(stale.n) };
}

/** How many papers there are. */
export async function countPapers(db: Kysely<Database>): Promise<number> {
  return Number((await db.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
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

/**
 * Stores vectors made by `embedder`, replacing whatever vector each paper had — except one this embedder
 * made from newer text (another instance got there first with the paper's latest revision).
 */
export async function upsertVectors(db: Kysely<Database>, embedder: string, dimensions: number, rows: VectorRow[], now = new Date().toISOString()): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('paper_vectors')
    .values(rows.map((r) => ({ paper_id: r.paperId, embedder, dimensions, vector: r.vector, created_at: now, text_revision: r.textRevision ?? 0 })))
    .onConflict((oc) =>
      oc
        .column('paper_id')
        .doUpdateSet((eb) => ({
          embedder: eb.ref('excluded.embedder'),
          dimensions: eb.ref('excluded.dimensions'),
          vector: eb.ref('excluded.vector'),
          created_at: eb.ref('excluded.created_at'),
          text_revision: eb.ref('excluded.text_revision'),
        }))
        .where((eb) => eb.or([eb('paper_vectors.embedder', '<>', eb.ref('excluded.embedder')), eb('paper_vectors.text_revision', '<=', eb.ref('excluded.text_revision'))])),
    )
    .execute();
}
