/** Keeps `papers.hotness` in step with upvotes and listing days; the trending list reads it with ORDER BY. */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { hotness } from './trending.service.ts';

const CHUNK = 500;

/**
 * Recomputes the stored hotness of the given papers. Call it wherever upvotes or listing days change
 * outside the importer (votes), inside the same transaction; the importer computes the score with the
 * row it writes (papers.repo.ts#toRow), with the same formula.
 */
export async function recomputeHotness(db: Kysely<Database>, ids: number[]): Promise<number> {
  let changed = 0;
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .selectFrom('papers')
      .select(['id', 'upvotes', 'announced_on', 'published_at', 'hotness'])
      .where('id', 'in', unique.slice(i, i + CHUNK))
      .execute();
    changed += await writeScores(db, rows);
  }
  return changed;
}

/** Recomputes every paper's hotness (after a formula change, or on a store written before it existed). */
export async function recomputeAllHotness(db: Kysely<Database>): Promise<number> {
  let changed = 0;
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('papers')
      .select(['id', 'upvotes', 'announced_on', 'published_at', 'hotness'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(CHUNK)
      .execute();
    if (rows.length === 0) return changed;
    changed += await writeScores(db, rows);
    after = rows[rows.length - 1].id;
  }
}

/**
 * The stored scores as a derived-data step (src/db/derived.ts): raise the version whenever `hotness()`
 * changes, and every store recomputes its scores once at start-up. Version 2: invalid days no longer count.
 */
export const hotnessStep = {
  name: 'hotness',
  version: 2,
  dialects: ['sqlite', 'postgres'] as ('sqlite' | 'postgres')[],
  rebuild: async (db: { kysely: Kysely<Database> }) => void (await recomputeAllHotness(db.kysely)),
};

type ScoreRow = { id: number; upvotes: number; announced_on: string | null; published_at: string | null; hotness: number };

/** One UPDATE per chunk (CASE over the ids), touching only rows whose score moved. */
async function writeScores(db: Kysely<Database>, rows: ScoreRow[]): Promise<number> {
  const updates = rows
    .map((r) => ({ id: r.id, score: hotness({ upvotes: r.upvotes, announcedOn: r.announced_on, publishedAt: r.published_at }), old: r.hotness }))
    .filter((u) => u.score !== Number(u.old));
  if (updates.length === 0) return 0;
  const cases = sql.join(
    updates.map((u) => sql`WHEN ${u.id} THEN CAST(${u.score} AS double precision)`),
    sql` `,
  );
  await db
    .updateTable('papers')
    .set({ hotness: sql<number>`CASE id ${cases} END` })
    .where('id', 'in', updates.map((u) => u.id))
    .execute();
  return updates.length;
}
