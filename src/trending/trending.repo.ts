/** Keeps `papers.hotness` in step with upvotes and listing days; the trending list reads it with ORDER BY. */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { hotness } from './trending.service.ts';

const CHUNK = 500;

/** What the hotness of a paper is computed from (and its stored value, to skip writes that change nothing). */
export const SCORE_COLUMNS = ['id', 'upvotes', 'local_votes', 'announced_on', 'published_at', 'hotness'] as const;

/**
 * Recomputes the stored hotness of the given papers. Call it wherever upvotes or listing days change
 * outside the importer (votes), inside the same transaction and after the write that changed them (so on
 * PostgreSQL it reads the row its own write has locked, with every vote committed before); the importer
 * computes the score with the row it writes (merge.repo.ts#toRow), with the same formula.
 */
export async function recomputeHotness(db: Kysely<Database>, ids: number[], options: { votedOnly?: boolean } = {}): Promise<number> {
  let changed = 0;
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    let query = db.selectFrom('papers').select(SCORE_COLUMNS).where('id', 'in', unique.slice(i, i + CHUNK));
    if (options.votedOnly) query = query.where('local_votes', '>', 0);
    changed += await writeHotness(db, await query.execute());
  }
  return changed;
}

/**
 * After the importer rewrote papers: the score it wrote counts the imported upvotes only (a record knows
 * nothing of local votes), so the papers among them that have local votes get theirs back. One query per
 * chunk, which finds nothing on a store nobody votes in.
 */
export async function restoreLocalVotesInHotness(db: Kysely<Database>, ids: number[]): Promise<number> {
  return ids.length ? recomputeHotness(db, ids, { votedOnly: true }) : 0;
}

/** Recomputes every paper's hotness (after a formula change, or on a store written before it existed). */
export async function recomputeAllHotness(db: Kysely<Database>): Promise<number> {
  let changed = 0;
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('papers')
      .select(SCORE_COLUMNS)
      .where('id', '>', after)
      .orderBy('id')
      .limit(CHUNK)
      .execute();
    if (rows.length === 0) return changed;
    changed += await writeHotness(db, rows);
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

/** A paper's row as far as its hotness goes (`SCORE_COLUMNS`). */
export type ScoreRow = { id: number; upvotes: number; local_votes: number; announced_on: string | null; published_at: string | null; hotness: number };

/**
 * Writes the hotness of rows just read, or returned by the write that changed them (a vote's UPDATE …
 * RETURNING: one statement fewer than `recomputeHotness`, which reads them again). One UPDATE per chunk
 * (CASE over the ids), touching only rows whose score moved.
 */
export async function writeHotness(db: Kysely<Database>, rows: ScoreRow[]): Promise<number> {
  const updates = rows
    .map((r) => ({ id: r.id, score: hotness({ upvotes: r.upvotes, localVotes: r.local_votes, announcedOn: r.announced_on, publishedAt: r.published_at }), old: r.hotness }))
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
