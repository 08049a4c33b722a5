import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * What search needs beyond the tables it reads: an index that lets the in-process vector index ask
 * "which vectors of this embedder are new since my last look?" without scanning them all
 * (src/search/vector-index.ts polls it every few seconds).
 */
export function up(_dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema.createIndex('paper_vectors_embedder_created').on('paper_vectors').columns(['embedder', 'created_at']).execute();
  };
}
