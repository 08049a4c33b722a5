/**
 * Parser for the Hugging Face daily-papers API response (`https://huggingface.co/api/daily_papers`):
 * a JSON array of items `{paper: {...}, publishedAt, title, ...}`. Items from 2025 on also carry
 * githubRepo, projectPage and organization, which older responses lack; both shapes are read.
 */
import { cleanText } from '../papers/normalize.ts';
import { isTimestamp, type PaperRecord } from '../papers/paper.ts';
import { at, FormatError, recordEvent, type ParseEvent } from './types.ts';

type JsonObject = Record<string, unknown>;

/** Parses a daily_papers response into records; a bad item is skipped as `file:#index` (0-based, as jq counts). */
export function parseHfDaily(json: string, file: string): ParseEvent[] {
  let data: unknown;
  try {
    data = JSON.parse(json.replace(/^\uFEFF/, ''));
  } catch (err) {
    // A response cut off mid-download fails here too, so say so: the fix is to fetch it again.
    throw new FormatError(file, `not valid JSON, or truncated (${(err as Error).message})`);
  }
  if (!Array.isArray(data)) {
    throw new FormatError(file, `expected a JSON array of daily-paper items, found ${data === null ? 'null' : typeof data}`);
  }
  return data.map((item, index) => recordEvent(at(file, `#${index}`), itemRecord(item)));
}

/** One item as a record, or the reason it has none. */
function itemRecord(item: unknown): PaperRecord | string {
  const top = asObject(item);
  if (!top) return 'item is not a JSON object';
  const paper = asObject(top.paper);
  if (!paper) return 'item has no "paper" object';
  const arxivId = asString(paper.id);
  if (!arxivId) return 'paper has no "id"';
  // The top-level title is the unwrapped one; paper.title keeps arXiv's hard line breaks.
  const title = asString(top.title) ?? asString(paper.title);
  if (!title) return `paper ${arxivId} has no title`;

  const dates = { 'paper.publishedAt': paper.publishedAt, 'paper.submittedOnDailyAt': paper.submittedOnDailyAt, publishedAt: top.publishedAt };
  for (const [field, value] of Object.entries(dates)) {
    if (value !== undefined && value !== null && !(typeof value === 'string' && isTimestamp(value.trim()))) {
      return `${field}: ${JSON.stringify(value)} is not an ISO 8601 timestamp from 1990 to now`;
    }
  }
  const rec: PaperRecord = { source: 'hf-daily', arxivId, title: cleanText(title) };
  const summary = asString(paper.summary);
  if (summary) rec.abstract = cleanText(summary);
  const authors = Array.isArray(paper.authors)
    ? paper.authors.map((a) => asString(asObject(a)?.name)).filter((n): n is string => !!n).map(cleanText)
    : [];
  if (authors.length) rec.authors = authors;
  const publishedAt = isoTimestamp(paper.publishedAt);
  if (publishedAt) rec.publishedAt = publishedAt;
  // submittedOnDailyAt is the day it was put on the daily list; older items only have the item's publishedAt.
  const listed = isoTimestamp(paper.submittedOnDailyAt) ?? isoTimestamp(top.publishedAt);
  if (listed) rec.announcedOn = listed.slice(0, 10);
  // Passed on as given: the record schema refuses anything but a whole number in range.
  if (paper.upvotes !== undefined && paper.upvotes !== null) rec.upvotes = paper.upvotes as number;
  const code = asString(paper.githubRepo);
  const project = asString(paper.projectPage);
  if (code || project) {
    rec.links = {};
    if (code) rec.links.code = code;
    if (project) rec.links.project = project;
  }
  const org = asObject(paper.organization) ?? asObject(top.organization);
  const slug = asString(org?.name);
  if (slug) rec.organization = { slug, name: asString(org?.fullname) ?? slug };
  return rec;
}

function asObject(v: unknown): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** A timestamp normalized to ISO 8601 UTC, or undefined when the value is not a date. */
function isoTimestamp(v: unknown): string | undefined {
  const s = asString(v);
  if (!s) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
