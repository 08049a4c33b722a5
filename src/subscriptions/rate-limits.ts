/** Fixed-window rate limits kept in the database, so every Paperboy process on it shares the counts. */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** A limit: at most `max` hits per `windowSeconds`. */
export interface RateLimit {
  max: number;
  windowSeconds: number;
}

/**
 * Counts one hit against `key` in the current window and says whether it is within the limit.
 * The increment is one upsert, so concurrent requests cannot both slip under the limit.
 */
export async function hitRateLimit(db: Kysely<Database>, key: string, limit: RateLimit, now = new Date()): Promise<boolean> {
  const windowMs = limit.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs).toISOString();
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, count: 1 })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ count: sql`rate_limits.count + 1` }))
    .returning('count')
    .executeTakeFirstOrThrow();
  return Number(row.count) <= limit.max;
}

/** Deletes counters of windows that started before `before` (run now and then; nothing reads them). */
export async function pruneRateLimits(db: Kysely<Database>, before: Date): Promise<number> {
  const r = await db.deleteFrom('rate_limits').where('window_start', '<', before.toISOString()).executeTakeFirst();
  return Number(r.numDeletedRows);
}
