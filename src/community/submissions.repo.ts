/** The SQL of submission marks: which account submitted a paper here, and on which day (one mark per paper). */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** A mark with the submitter's name fields (their public label is made from them: accounts/user.ts#userLabel). */
export interface SubmissionRow {
  paper_id: number;
  submitted_on: string;
  display_name: string | null;
  email: string;
}

/** Marks the paper as submitted by the account, unless it has a mark already; true when this made the mark. */
export async function insertSubmission(db: Kysely<Database>, paperId: number, userId: number, day: string, now: string): Promise<boolean> {
  const r = await db
    .insertInto('paper_submissions')
    .values({ paper_id: paperId, user_id: userId, submitted_on: day, created_at: now })
    .onConflict((oc) => oc.column('paper_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The marks of the given papers, with their submitters' name fields. */
export async function submissionRows(db: Kysely<Database>, paperIds: number[]): Promise<SubmissionRow[]> {
  if (paperIds.length === 0) return [];
  return db
    .selectFrom('paper_submissions')
    .innerJoin('users', 'users.id', 'paper_submissions.user_id')
    .select(['paper_submissions.paper_id', 'paper_submissions.submitted_on', 'users.display_name', 'users.email'])
    .where('paper_submissions.paper_id', 'in', paperIds)
    .execute();
}
