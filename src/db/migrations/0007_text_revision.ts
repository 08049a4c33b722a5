import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * What is computed from a paper's text follows that text. `papers.text_revision` counts changes of the
 * title or abstract (bumped by the same UPDATE, papers.repo.ts#updatePaper); `paper_vectors.text_revision`
 * is the revision a vector was embedded from, so the embedding job re-embeds a paper whose text moved on
 * while the old vector keeps serving. Existing rows start at 0 on both sides: today's vectors count as
 * current. The indexes let the job's "anything to do?" check and the term index's fingerprint read small
 * index entries instead of the wide paper and vector rows.
 */
export function up(_dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema.alterTable('papers').addColumn('text_revision', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('paper_vectors').addColumn('text_revision', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.createIndex('papers_text_revision').on('papers').column('text_revision').execute();
    // Replaces paper_vectors_embedder (embedder, paper_id), a prefix of it.
    await db.schema.createIndex('paper_vectors_embedder_revision').on('paper_vectors').columns(['embedder', 'paper_id', 'text_revision']).execute();
    await db.schema.dropIndex('paper_vectors_embedder').execute();
  };
}
