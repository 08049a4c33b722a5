import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * Digests are composed when they are sent (src/digest/compose.ts), from the papers and votes known then, so a
 * day's run no longer fixes a ranking: `digest_runs.ranked_ids` goes. Messages prepared before this
 * migration keep their composed payloads and are sent as they are.
 */
export function up(_dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema.alterTable('digest_runs').dropColumn('ranked_ids').execute();
  };
}
