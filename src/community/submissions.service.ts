/**
 * Submitting a paper: a reader names an arXiv paper (id or abs/pdf URL, versioned or not); a paper the store
 * lacks is fetched through the arXiv API and stored as any harvested record is, and the paper gets the
 * submission mark — one per paper, the first submitter's, so a known paper is marked rather than stored
 * twice. The mark dates the submission (UTC day): the community picks of that day's page show it.
 */
import type { User } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import { findPaperId } from '../papers/papers.repo.ts';
import { parseArxivId } from '../papers/normalize.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { upsertRecords } from '../papers/papers.service.ts';
import { keywordIndexFor } from '../search/keyword-index.ts';
import { hitRateLimit, retryAfterSeconds, type RateLimit } from '../subscriptions/rate-limits.ts';
import { type ArxivLookup, ArxivUnavailable } from './arxiv-lookup.ts';
import { type SubmissionMark, submissionMarks } from './submission-marks.ts';
import * as repo from './submissions.repo.ts';

/** Submissions an account may make per window: each may cost a request to arXiv, which asks for restraint. */
export const SUBMIT_LIMIT: RateLimit = { max: 20, windowSeconds: 3600 };

/** The longest text read as a submission (a URL with a query string fits easily). */
export const MAX_SUBMISSION_LENGTH = 300;

/** What became of a submission. */
export type SubmitOutcome =
  | { status: 'ok'; paperId: number; arxivId: string; added: boolean; marked: boolean; submission: SubmissionMark }
  | { status: 'invalid' }
  | { status: 'not-on-arxiv'; arxivId: string }
  | { status: 'unavailable'; arxivId: string; message: string }
  | { status: 'rate-limited'; retryAfterSeconds: number };

// arxiv.org, www. or export., any scheme or none; abs, pdf or html pages.
const ARXIV_PAGE = /^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/(.+)$/i;

/** The arXiv paper a submission names, or undefined when it names none (another site's URL, a bad id). */
export function parseSubmission(input: string): { id: string; version?: number } | undefined {
  let s = input.trim();
  if (s.length === 0 || s.length > MAX_SUBMISSION_LENGTH) return undefined;
  const page = ARXIV_PAGE.exec(s);
  if (page) s = page[1].replace(/[?#].*$/, '').replace(/\/+$/, '').replace(/\.pdf$/i, '');
  else if (/[/:]\/|^https?:|\.[a-z]{2,}\//i.test(s) && !/^arxiv:/i.test(s)) return undefined;
  return parseArxivId(s);
}

/** Submits the paper `input` names, as `user`, fetching it through `lookup` when the store lacks it. */
export async function submitPaper(db: Db, lookup: ArxivLookup, user: Pick<User, 'id'>, input: string, now = new Date()): Promise<SubmitOutcome> {
  if (!(await hitRateLimit(db.kysely, `submit:${user.id}`, SUBMIT_LIMIT, now))) {
    return { status: 'rate-limited', retryAfterSeconds: retryAfterSeconds(SUBMIT_LIMIT, now) };
  }
  const ref = parseSubmission(input);
  if (!ref) return { status: 'invalid' };
  const arxivId = ref.id;
  let record: PaperRecord | undefined;
  if ((await findPaperId(db.kysely, { arxivId })) === undefined) {
    try {
      record = await lookup(arxivId);
    } catch (err) {
      if (err instanceof ArxivUnavailable) return { status: 'unavailable', arxivId, message: err.message };
      throw err;
    }
    if (!record) return { status: 'not-on-arxiv', arxivId };
  }
  const write = () =>
    db.kysely.transaction().execute(async (trx) => {
      // Stored through the importer's merge: a paper that arrived meanwhile is matched, not duplicated.
      const added = record ? (await upsertRecords(trx, keywordIndexFor(db.dialect), [record], now.toISOString())).added > 0 : false;
      const paperId = (await findPaperId(trx, { arxivId }))!;
      const marked = await repo.insertSubmission(trx, paperId, user.id, now.toISOString().slice(0, 10), now.toISOString());
      return { paperId, added, marked, submission: (await submissionMarks(trx, [paperId])).get(paperId)! };
    });
  let written;
  try {
    written = await write();
  } catch (err) {
    // PostgreSQL: two first submissions of one new paper at once; the loser finds the winner's row.
    if ((err as { code?: string }).code !== '23505') throw err;
    written = await write();
  }
  return { status: 'ok', arxivId, ...written };
}
