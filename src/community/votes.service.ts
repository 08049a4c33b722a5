/**
 * Upvotes: one per account per paper, cast or taken back by saying which state the reader wants (never a
 * blind toggle, so a form sent twice does what it said). Each change is one transaction: the rate limit's
 * counter, the vote row, the paper's count and its stored hotness, which trending reads with ORDER BY —
 * six statements for a vote that changes something (the count's UPDATE returns what the hotness needs).
 */
import type { User } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import { hitRateLimit, retryAfterSeconds, type RateLimit } from '../subscriptions/rate-limits.ts';
import { writeHotness } from '../trending/trending.repo.ts';
import * as repo from './votes.repo.ts';

/** Votes an account may cast or take back per window: far above reading speed, far below a script's. */
export const VOTE_LIMIT: RateLimit = { max: 60, windowSeconds: 60 };

/** A paper's votes: imported from Hugging Face, cast here, and both together (what ranks and what the ▲ shows). */
export interface VoteCounts {
  imported: number;
  local: number;
  total: number;
}

/** What became of a vote: done (and whether it changed anything), no such paper, or too many votes just now. */
export type VoteOutcome =
  | { status: 'ok'; voted: boolean; changed: boolean; votes: VoteCounts }
  | { status: 'not-found' }
  | { status: 'rate-limited'; retryAfterSeconds: number };

/** The two counts as the reader sees them. */
export function voteCounts(stored: { upvotes: number; localVotes?: number }): VoteCounts {
  const imported = Math.max(0, stored.upvotes);
  const local = Math.max(0, stored.localVotes ?? 0);
  return { imported, local, total: imported + local };
}

/** Casts (`voted` true) or takes back the account's vote for a paper, recomputing its hotness in the same transaction. */
export async function setVote(db: Db, user: Pick<User, 'id'>, paperId: number, voted: boolean, now = new Date()): Promise<VoteOutcome> {
  return db.kysely.transaction().execute(async (trx): Promise<VoteOutcome> => {
    // Counted in the same transaction: a refused vote commits only its count.
    if (!(await hitRateLimit(trx, `vote:${user.id}`, VOTE_LIMIT, now))) {
      return { status: 'rate-limited', retryAfterSeconds: retryAfterSeconds(VOTE_LIMIT, now) };
    }
    let stored: repo.StoredVotes | undefined = await repo.paperVotes(trx, paperId);
    if (!stored) return { status: 'not-found' };
    const changed = voted ? await repo.insertVote(trx, user.id, paperId, now.toISOString()) : await repo.deleteVote(trx, user.id, paperId);
    if (changed) {
      // The UPDATE returns the row it wrote: the hotness and the counts come from it, not from reading it again.
      const row = (await repo.adjustLocalVotes(trx, paperId, voted ? 1 : -1))!;
      await writeHotness(trx, [row]);
      stored = row;
    }
    return { status: 'ok', voted, changed, votes: voteCounts({ upvotes: stored.upvotes, localVotes: stored.local_votes }) };
  });
}

/** Which of the given papers the account has voted for (a page's worth of ids). */
export async function votedAmong(db: Db, userId: number, paperIds: number[]): Promise<Set<number>> {
  return repo.votedPaperIds(db.kysely, userId, paperIds);
}
