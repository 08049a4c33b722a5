/**
 * What the per-reader part of a page of paper cards needs, in one query: for each paper the reader marked,
 * its two vote counts (fresh, whatever the shared page was rendered with), the vote and the reading state.
 */
import type { Kysely } from 'kysely';
import { placeholders, plainSelect } from '../db/plain-sql.ts';
import type { ReadingState } from '../db/schema.community.ts';
import type { Database } from '../db/schema.ts';

/** One card's state for one reader. */
export interface ReaderPaperState {
  id: number;
  arxivId: string | null;
  upvotes: number;
  localVotes: number;
  voted: boolean;
  reading: ReadingState | null;
}

/**
 * The states of the given papers that the reader marked — voted for, read or dismissed; the others are left
 * out, as are papers that do not exist. A page of cards shows every unmarked card the same to every reader.
 */
export async function markedPaperStates(db: Kysely<Database>, userId: number, paperIds: number[]): Promise<ReaderPaperState[]> {
  if (paperIds.length === 0) return [];
  // Written out (plain-sql.ts): every signed-in page of cards runs it, and Kysely's building and compiling
  // of two joins cost more than the lookups.
  const rows = await plainSelect<{ id: number; arxiv_id: string | null; upvotes: number; local_votes: number; voter: number | null; state: ReadingState | null }>(
    db,
    'SELECT papers.id, papers.arxiv_id, papers.upvotes, papers.local_votes, paper_votes.user_id AS voter, reading_states.state FROM papers' +
      ' LEFT JOIN paper_votes ON paper_votes.paper_id = papers.id AND paper_votes.user_id = ?' +
      ' LEFT JOIN reading_states ON reading_states.paper_id = papers.id AND reading_states.user_id = ?' +
      ` WHERE papers.id IN (${placeholders(paperIds.length)}) AND (paper_votes.user_id IS NOT NULL OR reading_states.state IS NOT NULL)`,
    [userId, userId, ...paperIds],
  );
  return rows.map((r) => ({ id: r.id, arxivId: r.arxiv_id, upvotes: r.upvotes, localVotes: r.local_votes, voted: r.voter !== null, reading: r.state ?? null }));
}
