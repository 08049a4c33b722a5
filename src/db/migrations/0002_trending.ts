import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * Trending: hotness as a double on PostgreSQL and the index the trending list reads. The scores themselves
 * are derived data, recomputed by the `hotness` step of src/db/derived.ts (a migration runs no application
 * code, so a later change of the formula cannot silently change what this migration did).
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    // PostgreSQL `real` keeps ~6 digits, too few for a score whose age term is in the hundreds.
    if (dialect === 'postgres') await sql`ALTER TABLE papers ALTER COLUMN hotness TYPE double precision`.execute(db);
    // The trending list reads ORDER BY hotness DESC, id DESC; the id makes the order total for paging.
    await db.schema.dropIndex('papers_hotness').execute();
    await db.schema.createIndex('papers_hotness_id').on('papers').columns(['hotness', 'id']).execute();
  };
}
