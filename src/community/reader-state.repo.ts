/**
 * What the per-reader part of a page of paper cards needs, in one query: for each paper the reader marked,
 * its two vote counts (fresh, whatever the shared page was rendered with), the vote and the reading state.
 */
import type { Kysely } from 'kysely';
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
  const rows = await db
    .selectFrom('papers')
    .leftJoin('paper_votes', (j) => j.onRef('paper_votes.paper_id', '=', 'papers.id').on('paper_votes.user_id', '=', userId))
    .leftJoin('reading_states', (j) => j.onRef('reading_states.paper_id', '=', 'papers.id').on('reading_states.user_id', '=', userId))
    .select(['papers.id', 'papers.arxiv_id', 'papers.upvotes', 'papers.local_votes', 'paper_votes.user_id as voter', 'reading_states.state'])
    .where('papers.id', 'in', paperIds)
    .where((eb) => eb.or([eb('paper_votes.user_id', 'is not', null), eb('reading_states.state', 'is not', null)]))
    .execute();
  return rows.map((r) => ({ id: r.id, arxivId: r.arxiv_id, upvotes: r.upvotes, localVotes: r.local_votes, voted: r.voter !== null, reading: r.state ?? null }));
}
