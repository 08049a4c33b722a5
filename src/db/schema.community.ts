import type { Generated } from 'kysely';

/** One account's upvote of one paper (at most one per account and paper). */
export interface PaperVotesTable {
  user_id: number;
  paper_id: number;
  created_at: string;
}

/** The mark of a paper an account submitted: one per paper, the first submitter's. */
export interface PaperSubmissionsTable {
  paper_id: number;
  user_id: number;
  /** YYYY-MM-DD (UTC): the day whose community picks show it. */
  submitted_on: string;
  created_at: string;
}

/** What an account did with a paper it has seen: read it, or marked it "not interested". */
export type ReadingState = 'read' | 'dismissed';

/** An account's reading state of a paper: one per account and paper, the latest choice. */
export interface ReadingStatesTable {
  user_id: number;
  paper_id: number;
  state: ReadingState;
  updated_at: string;
}

/** An account following an author, an organization or a category (exactly one target is set). */
export interface FollowsTable {
  id: Generated<number>;
  user_id: number;
  author_id: number | null;
  organization_id: number | null;
  /** As the reader named it (`cs.LG`, or a whole archive `cs`). */
  category: string | null;
  /** Lower-cased, as the paper filter matches categories and archives. */
  category_key: string | null;
  created_at: string;
}

/** The tables of migration 0011_community (papers.local_votes is in PapersTable). */
export interface CommunityTables {
  paper_votes: PaperVotesTable;
  paper_submissions: PaperSubmissionsTable;
  reading_states: ReadingStatesTable;
  follows: FollowsTable;
}
