/**
 * The SQL of upvotes: an account's vote rows (`paper_votes`) and the count kept on the paper
 * (`papers.local_votes`), which lists read without a join. The count moves by one in the statement that
 * follows a vote row actually inserted or deleted, so two votes at once both count (on PostgreSQL the
 * second UPDATE waits for the first and adds to its result).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { SCORE_COLUMNS, type ScoreRow } from '../trending/trending.repo.ts';

/** A paper's two vote counts as stored. */
export interface StoredVotes {
  upvotes: number;
  local_votes: number;
}

/** The vote counts of a paper, or undefined when there is no such paper. */
export async function paperVotes(db: Kysely<Database>, paperId: number): Promise<StoredVotes | undefined> {
  return db.selectFrom('papers').select(['upvotes', 'local_votes']).where('id', '=', paperId).executeTakeFirst();
}

/** Records the vote; false when the account had voted for the paper already. */
export async function insertVote(db: Kysely<Database>, userId: number, paperId: number, now: string): Promise<boolean> {
  const inserted = await db
    .insertInto('paper_votes')
    .values({ user_id: userId, paper_id: paperId, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Removes the vote; false when there was none. */
export async function deleteVote(db: Kysely<Database>, userId: number, paperId: number): Promise<boolean> {
  const deleted = await db.deleteFrom('paper_votes').where('user_id', '=', userId).where('paper_id', '=', paperId).executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}

/** Moves the paper's local vote count by `delta` (never below zero); returns the row as it is then, for its hotness. */
export async function adjustLocalVotes(db: Kysely<Database>, paperId: number, delta: 1 | -1): Promise<ScoreRow | undefined> {
  return db
    .updateTable('papers')
    .set((eb) => ({ local_votes: delta > 0 ? eb('local_votes', '+', 1) : eb.case().when('local_votes', '>', 0).then(eb('local_votes', '-', 1)).else(0).end() }))
    .where('id', '=', paperId)
    .returning(SCORE_COLUMNS)
    .executeTakeFirst();
}

/** Which of the given papers the account has voted for. */
export async function votedPaperIds(db: Kysely<Database>, userId: number, paperIds: number[]): Promise<Set<number>> {
  if (paperIds.length === 0) return new Set();
  const rows = await db.selectFrom('paper_votes').select('paper_id').where('user_id', '=', userId).where('paper_id', 'in', paperIds).execute();
  return new Set(rows.map((r) => r.paper_id));
}
