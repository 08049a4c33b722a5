/** "Submitted by NAME on DAY" for the papers a page shows: read with the papers (papers.repo.ts#getPapers). */
import type { Kysely } from 'kysely';
import { userLabel } from '../accounts/user.ts';
import type { Database } from '../db/schema.ts';
import { submissionRows } from './submissions.repo.ts';

/** A paper's submission mark as pages, feeds, mails and the API show it. */
export interface SubmissionMark {
  /** The submitter's public name: the account's display name, else the part of its address before the @ (what the account page promises). */
  by: string;
  /** YYYY-MM-DD (UTC). */
  on: string;
}

/** The marks of the given papers, by paper id. */
export async function submissionMarks(db: Kysely<Database>, paperIds: number[]): Promise<Map<number, SubmissionMark>> {
  const rows = await submissionRows(db, paperIds);
  return new Map(rows.map((r) => [r.paper_id, { by: userLabel({ displayName: r.display_name, email: r.email }), on: r.submitted_on }]));
}
