/** Fixed-window rate limits kept in the database, so every Paperboy process on it shares the counts. */
import { isIP } from 'node:net';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** A limit: at most `max` hits per `windowSeconds`. */
export interface RateLimit {
  max: number;
  windowSeconds: number;
}

/**
 * Counts one hit against `key` and says whether it is within the limit. The window slides: the count of
 * the previous fixed window is weighted by how much of it still lies within the last `windowSeconds`, so
 * a burst straddling a window boundary counts as one burst (a fixed window would allow twice `max`).
 * The increment is one upsert, so concurrent requests cannot both slip under the limit.
 */
export async function hitRateLimit(db: Kysely<Database>, key: string, limit: RateLimit, now = new Date()): Promise<boolean> {
  const windowMs = limit.windowSeconds * 1000;
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: new Date(start).toISOString(), count: 1 })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ count: sql`rate_limits.count + 1` }))
    .returning('count')
    .executeTakeFirstOrThrow();
  const count = Number(row.count);
  if (count > limit.max) return false;
  const previous = await db
    .selectFrom('rate_limits')
    .select('count')
    .where('key', '=', key)
    .where('window_start', '=', new Date(start - windowMs).toISOString())
    .executeTakeFirst();
  const stillInView = 1 - (now.getTime() - start) / windowMs;
  return count + Number(previous?.count ?? 0) * stillInView <= limit.max;
}

/** When a refused client may try again: the end of the current window (advice: the window slides, so it may be refused once more). */
export function retryAfterSeconds(limit: RateLimit, now = new Date()): number {
  const windowMs = limit.windowSeconds * 1000;
  return Math.max(1, Math.ceil((windowMs - (now.getTime() % windowMs)) / 1000));
}

/** Deletes counters of windows that started before `before` (run now and then; nothing reads them). */
export async function pruneRateLimits(db: Kysely<Database>, before: Date): Promise<number> {
  const r = await db.deleteFrom('rate_limits').where('window_start', '<', before.toISOString()).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Which client a rate limit counts an address as: IPv4 as it is (also written IPv4-mapped, ::ffff:1.2.3.4),
 * IPv6 by its /64. Every IPv6 line gets at least a /64, so counting single IPv6 addresses would let one
 * visitor rotate through 2^64 of them.
 */
export function rateLimitClient(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1];
  const bare = address.replace(/%.*$/, '').toLowerCase();
  if (isIP(bare) !== 6) return address;
  const [head, tail] = bare.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${all.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
