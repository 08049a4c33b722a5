import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/** Paper embeddings, stored in the database so both engines behave the same (no pgvector needed). */
export function up(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('paper_vectors')
      .addColumn('paper_id', 'integer', (c) => c.primaryKey().references('papers.id').onDelete('cascade'))
      // Which embedder made the vector (provider/model/version); a different one means "re-embed".
      .addColumn('embedder', 'text', (c) => c.notNull())
      .addColumn('dimensions', 'integer', (c) => c.notNull())
      // Little-endian float32 array.
      .addColumn('vector', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('paper_vectors_embedder').on('paper_vectors').columns(['embedder', 'paper_id']).execute();
  };
}
