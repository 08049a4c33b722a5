import { z } from 'zod';
import { isDay, isListingDay, latestPossibleListingDay, MAX_DAYS_AHEAD } from '../listings/period.ts';
import { httpUrl } from './links.ts';
import { normalizeDoi, parseArxivId, splitCategories, stripControl } from './normalize.ts';

/** Names of the sources a paper record can come from; stored in provenance. */
export const SOURCES = ['hf-page', 'hf-daily', 'arxiv-atom', 'arxiv-oai', 'arxiv-jsonl', 'jsonl', 'demo', 'feed'] as const;
/** One of SOURCES. */
export type SourceName = (typeof SOURCES)[number];

/**
 * One source's description of a paper, as every importer produces it. Only `title` is required;
 * everything a source does not know stays undefined so that merging keeps what others said.
 * Every record passes `validateRecord` before an importer yields it.
 */
export interface PaperRecord {
  source: SourceName;
  arxivId?: string;
  version?: number;
  doi?: string;
  title: string;
  abstract?: string;
  authors?: string[];
  /** How many authors the source says there are, where it gives a count rather than names. */
  authorCount?: number;
  categories?: string[];
  primaryCategory?: string;
  /** ISO 8601 timestamps. */
  publishedAt?: string;
  updatedAt?: string;
  /** YYYY-MM-DD: the day the paper was listed. */
  announcedOn?: string;
  comment?: string;
  journalRef?: string;
  organization?: { name: string; slug?: string };
  upvotes?: number;
  links?: { abs?: string; pdf?: string; code?: string; project?: string };
  /** True when this (arXiv) version withdraws the paper; sources that cannot tell leave it out. */
  withdrawn?: boolean;
}

/**
 * Limits of a record's fields: well above anything real (the 74,728-paper arXiv corpus tops out at a
 * 226-character title, 3,488-character abstract, 3,303 authors and a 512-character "name" that is a
 * whole byline run together), low enough that one record cannot flood a page, a mail or the store.
 */
export const RECORD_LIMITS = {
  title: 1_000,
  abstract: 20_000,
  comment: 5_000,
  journalRef: 1_000,
  authors: 10_000,
  authorName: 1_000,
  categories: 50,
  doi: 300,
  url: 2_048,
  organizationName: 200,
  upvotes: 1_000_000,
  authorCount: 100_000,
  version: 1_000,
} as const;

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

// Importing checks a date or two per record, hundreds of thousands of times, over a few hundred distinct
// days: both answers are kept (the latest day for a minute, day validity until the cache is large).
let latest = { day: '', until: 0 };
const realDays = new Map<string, boolean>();

/** latestPossibleListingDay as of now, recomputed at most once a minute. */
function latestDay(now: Date | undefined): string {
  if (now) return latestPossibleListingDay(now);
  const t = Date.now();
  if (t >= latest.until) latest = { day: latestPossibleListingDay(new Date(t)), until: t + 60_000 };
  return latest.day;
}

function realDay(value: string): boolean {
  let known = realDays.get(value);
  if (known === undefined) {
    if (realDays.size > 50_000) realDays.clear();
    realDays.set(value, (known = isDay(value)));
  }
  return known;
}

/**
 * Whether a value can be a paper's listing day: the rule of `isListingDay` (src/listings/period.ts), a
 * real day from 1990 to MAX_DAYS_AHEAD days after today, with its parts remembered between records.
 */
function isRecordListingDay(value: string, now?: Date): boolean {
  return now ? isListingDay(value, now) : realDay(value) && value <= latestDay(undefined);
}

/**
 * Whether a value is an ISO 8601 date or timestamp whose fields are in range (no hour 25, no 13th
 * month), from 1990 on and no later than the last possible listing day as of `now`.
 */
export function isTimestamp(value: string, now?: Date): boolean {
  const m = TIMESTAMP.exec(value);
  if (!m || !realDay(m[1])) return false;
  if (m[2] !== undefined && (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59)) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) <= latestDay(now);
}

/** Free text: control characters (C0 but tab and newlines, DEL, C1, bidi overrides) stripped; whitespace is folded on merge. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .transform(stripControl)
    .nullish();
/** One-line text such as a name: control characters stripped, whitespace folded, never empty. */
const line = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => stripControl(s).replace(/\s+/g, ' ').trim())
    .refine((s) => s.length > 0, 'must not be empty');
const count = (max: number) =>
  z.number().refine((n) => Number.isInteger(n) && n >= 0 && n <= max, { error: (issue) => `${String(issue.input)} is not a whole number from 0 to ${max}` });
const quoted = (v: unknown) => JSON.stringify(typeof v === 'string' ? v.slice(0, 60) : v);
const day = z.string().refine((s) => isRecordListingDay(s), {
  error: (issue) => `${quoted(issue.input)} is not a listing day (YYYY-MM-DD, a real day from 1990 to ${MAX_DAYS_AHEAD} days from now)`,
});
const timestamp = z.string().refine((s) => isTimestamp(s), {
  error: (issue) => `${quoted(issue.input)} is not an ISO 8601 timestamp from 1990 to ${MAX_DAYS_AHEAD} days from now`,
});

/** The one schema every importer and fetcher passes each record through: types, limits, real dates. */
export const paperRecordSchema = z.object({
  source: z.enum(SOURCES),
  arxivId: z
    .string()
    .max(64)
    .refine((s) => parseArxivId(s) !== undefined, { error: (issue) => `${quoted(issue.input)} is not an arXiv identifier` })
    .nullish(),
  version: count(RECORD_LIMITS.version).nullish(),
  doi: z.string().max(RECORD_LIMITS.doi).nullish(),
  title: line(RECORD_LIMITS.title),
  abstract: text(RECORD_LIMITS.abstract),
  authors: z.array(line(RECORD_LIMITS.authorName)).max(RECORD_LIMITS.authors).nullish(),
  authorCount: count(RECORD_LIMITS.authorCount).nullish(),
  categories: z.array(z.string().max(200)).max(RECORD_LIMITS.categories).nullish(),
  primaryCategory: z.string().max(200).nullish(),
  publishedAt: timestamp.nullish(),
  updatedAt: timestamp.nullish(),
  announcedOn: day.nullish(),
  comment: text(RECORD_LIMITS.comment),
  journalRef: line(RECORD_LIMITS.journalRef).nullish(),
  organization: z
    .object({ name: line(RECORD_LIMITS.organizationName), slug: z.string().regex(SLUG, 'not a slug (letters, digits, . _ -)').nullish() })
    .nullish(),
  upvotes: count(RECORD_LIMITS.upvotes).nullish(),
  withdrawn: z.boolean().nullish(),
  links: z
    .object({
      abs: z.string().max(RECORD_LIMITS.url).nullish(),
      pdf: z.string().max(RECORD_LIMITS.url).nullish(),
      code: z.string().max(RECORD_LIMITS.url).nullish(),
      project: z.string().max(RECORD_LIMITS.url).nullish(),
    })
    .nullish(),
});

/** A validated record and what was dropped from it, or why the whole record is refused. */
export type Validated = { record: PaperRecord; notes: string[] } | { reason: string };

/**
 * Checks one candidate record against `paperRecordSchema`. A wrong type, a value over its limit or a
 * date that is not real refuses the record (the reason names the field); a value that is merely
 * unusable (a link that is not http(s), a category that is not arXiv's, a DOI that is not one) is
 * dropped with a note, and the record is kept.
 */
export function validateRecord(candidate: unknown): Validated {
  const parsed = paperRecordSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { reason: `${issue.path.join('.') || 'record'}: ${issue.message.replace(/^Invalid input: /, '')}` };
  }
  const notes: string[] = [];
  const record = withoutEmpty(parsed.data) as unknown as PaperRecord;
  if (record.links) {
    for (const key of ['abs', 'pdf', 'code', 'project'] as const) {
      const url = record.links[key];
      if (url !== undefined && !httpUrl(url)) {
        notes.push(`links.${key}: not an http(s) URL, dropped: ${quoted(url)}`);
        delete record.links[key];
      }
    }
    if (Object.keys(record.links).length === 0) delete record.links;
  }
  if (record.categories) {
    const { kept, dropped } = splitCategories(record.categories);
    if (dropped.length) notes.push(`categories: not arXiv categories, dropped: ${dropped.map(quoted).join(', ')}`);
    if (kept.length) record.categories = kept;
    else delete record.categories;
  }
  if (record.primaryCategory !== undefined && splitCategories([record.primaryCategory]).kept[0] !== record.primaryCategory) {
    notes.push(`primaryCategory: not an arXiv category, dropped: ${quoted(record.primaryCategory)}`);
    delete record.primaryCategory;
  }
  if (record.doi !== undefined && !normalizeDoi(record.doi)) {
    notes.push(`doi: not a DOI (10.NNNN/…), dropped: ${quoted(record.doi)}`);
    delete record.doi;
  }
  return { record, notes };
}

/** The object without null, undefined or blank-string values, one level down too (links, organization). */
function withoutEmpty(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === null || value === undefined || (typeof value === 'string' && !value.trim())) continue;
    out[key] = value && typeof value === 'object' && !Array.isArray(value) ? withoutEmpty(value as Record<string, unknown>) : value;
  }
  return out;
}

/** A paper as stored and shown, with its authors, categories and organization resolved. */
export interface Paper {
  id: number;
  arxivId: string | null;
  version: number | null;
  doi: string | null;
  title: string;
  abstract: string;
  authors: { id: number; name: string }[];
  authorCount: number | null;
  categories: string[];
  primaryCategory: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  announcedOn: string | null;
  comment: string | null;
  journalRef: string | null;
  organization: { id: number; slug: string; name: string } | null;
  /** Upvotes imported from Hugging Face. */
  upvotes: number;
  /** Votes cast by this instance's readers (absent on papers built by hand: none). */
  localVotes?: number;
  /** Who submitted the paper here and on which day (UTC), when someone did. */
  submission?: { by: string; on: string } | null;
  hotness: number;
  links: { abs: string | null; pdf: string | null; code: string | null; project: string | null };
  provenance: Record<string, { source: SourceName; asOf: string }>;
  /** The latest arXiv version withdraws it (absent on papers built by hand, e.g. in tests: not withdrawn). */
  withdrawn?: boolean;
}
