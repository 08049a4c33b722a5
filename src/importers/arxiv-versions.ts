/**
 * What an arXiv record says about its versions, read the same way by the OAI-PMH and the API parsers: the
 * paper's listing day (the day its first version was listed, never the day a revision or a metadata fix
 * was) and whether the latest version is a withdrawal.
 */
import { arxivCalendar, listingDayOfSubmission } from '../sources/calendar.ts';

// The published holidays; a parser is pure and reads no configuration.
const CALENDAR = arxivCalendar();

// arXiv asks for the reason in the comment of the withdrawing version ("This paper has been withdrawn by the
// authors due to …", "Withdrawn: …"); a comment that merely mentions a withdrawn section does not count.
const WITHDRAWAL = /^\W*withdrawn\b|\b(paper|article|manuscript|submission|preprint|work|version)\s+(has\s+been|is|was)\s+withdrawn\b|\bwithdrawn\s+by\s+the\s+(authors?|submitter)\b/i;

/**
 * Whether a version withdraws the paper: its comment says so, or (arXivRaw) the version has no source at
 * all — a withdrawal links to no full text and its "source" is an empty file.
 */
export function isWithdrawal(comment: string | undefined, versionSize?: string): boolean {
  return (comment !== undefined && WITHDRAWAL.test(comment)) || versionSize?.trim() === '0kb';
}

/**
 * The listing day of a record. An OAI datestamp is the day the record last changed: the listing day for a
 * first version, the day of the revision for a later one. So a revision is dated by its first version's
 * submission (the announcement that carried it, by arXiv's calendar), and without that it has no day.
 */
export function listingDayOf(record: { datestamp?: string; firstSubmitted?: string; revised: boolean }): string | undefined {
  if (!record.revised && record.datestamp) return record.datestamp;
  return record.firstSubmitted ? listingDayOfFirstVersion(record.firstSubmitted) : undefined;
}

/** The day a first version submitted at `submitted` is listed (the API's `published`): arXiv's next announcement. */
export function listingDayOfFirstVersion(submitted: string): string | undefined {
  return listingDayOfSubmission(CALENDAR, submitted);
}
