/**
 * Parser for the text of a Hugging Face Papers page as a browser saves it ("Save as text" or
 * select-all and copy). Two layouts exist: search results (title line, abstract line, repeated)
 * and the "Daily Papers" list, whose cards also carry an author count or organization and a date.
 */
import { cleanText } from '../papers/normalize.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { at, FormatError, recordEvent, type ParseEvent } from './types.ts';

/** Options for parseHfPage. */
export interface HfPageOptions {
  /** Year for card dates shown without one ("Jan 27"): HF omits the year of the page's own year. Defaults to now. */
  year?: number;
}

interface Line {
  text: string;
  number: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `Sep 28, 2023`, `Jan 27`, `Nov 25, 2025 5`: the trailing number is the upvote count. */
const CARD_DATE = /^([A-Z][a-z]{2}) (\d{1,2})(?:, (\d{4}))?(?: (\d+))?$/;
const AUTHOR_COUNT = /^•\s*(\d+) authors?$/;
const SEPARATOR = '·';
const SEARCH_HEADER = 'Get trending papers in your email inbox';
/** Longest title seen in the seeds is 168 characters; a longer "title" is an abstract whose title is missing. */
const MAX_TITLE = 400;
/** The header sits in the first few lines; looking further would mistake a paper titled "Daily Papers" for it. */
const HEADER_LINES = 20;

/** Parses a saved HF Papers page (either layout, detected) into records; throws FormatError for other text. */
export function parseHfPage(text: string, file: string, opts: HfPageOptions = {}): ParseEvent[] {
  const lines: Line[] = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((t, i) => ({ text: t.trim(), number: i + 1 }))
    .filter((l) => l.text !== '');
  const year = opts.year ?? new Date().getFullYear();
  const daily = lines.slice(0, HEADER_LINES).findIndex((l) => l.text === 'Daily Papers');
  if (daily >= 0) return parseDailyLayout(lines.slice(skipDailyHeader(lines, daily + 1)), file, year);
  if (lines[0]?.text.startsWith(SEARCH_HEADER)) return parseSearchLayout(lines, file);
  throw new FormatError(file, `not a saved Hugging Face Papers page: no "Daily Papers" line and no "${SEARCH_HEADER}" header`);
}

/** Index of the first card line: after "Daily Papers", the "byAK ..." credit and the page date ("Feb 18"). */
function skipDailyHeader(lines: Line[], from: number): number {
  let i = from;
  if (lines[i]?.text.startsWith('byAK')) i++;
  if (lines[i] && CARD_DATE.test(lines[i].text) && lines[i + 1]?.text !== SEPARATOR) i++;
  return i;
}

/** Search results: the first title is glued to "Subscribe", then title and abstract lines alternate. */
function parseSearchLayout(lines: Line[], file: string): ParseEvent[] {
  const start = lines.findIndex((l) => l.text.startsWith('Subscribe'));
  if (start < 0 || start >= HEADER_LINES) {
    throw new FormatError(file, `"${SEARCH_HEADER}" header without the "Subscribe" line that precedes the first title`);
  }
  const body = lines.slice(start);
  const first = body[0].text.slice('Subscribe'.length).trim();
  if (first) body[0] = { ...body[0], text: first };
  else body.shift();

  const events: ParseEvent[] = [];
  for (let i = 0; i < body.length; ) {
    const title = body[i];
    if (title.text.length > MAX_TITLE) {
      // Resynchronize on the next line rather than shifting every later title into the abstracts.
      events.push(skip(file, title, `a ${title.text.length}-character line where a title belongs; its title is missing`));
      i += 1;
      continue;
    }
    const abstract = body[i + 1];
    if (!abstract) {
      events.push(skip(file, title, `title "${title.text}" has no abstract line (file ends)`));
      break;
    }
    events.push(record(file, title, { source: 'hf-page', title: cleanText(title.text), abstract: cleanText(abstract.text) }));
    i += 2;
  }
  return events;
}

/**
 * Daily Papers: each card is title, abstract, then a metadata line, "·" and a date. The "·" is the
 * only reliable anchor, so text lines are gathered until a line followed by "·" closes a card.
 * Some cards have no metadata at all; their title and abstract run straight into the next card.
 */
function parseDailyLayout(lines: Line[], file: string, year: number): ParseEvent[] {
  const events: ParseEvent[] = [];
  let pending: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (lines[i + 1]?.text === SEPARATOR) {
      events.push(...cards(pending, file, { meta: line, date: lines[i + 2] }, year));
      pending = [];
      i += 2;
    } else if (line.text === SEPARATOR) {
      events.push(skip(file, line, 'a "·" separator with no author or organization line before it'));
      i += 1; // the date that belongs to it
    } else {
      pending.push(line);
    }
  }
  if (pending.length) events.push(...cards(pending, file, undefined, year));
  return events;
}

/** Turns the text lines before one metadata block into cards; only the last card owns the metadata. */
function cards(text: Line[], file: string, meta: { meta: Line; date?: Line } | undefined, year: number): ParseEvent[] {
  const first = text[0] ?? meta?.meta;
  if (!first) return [];
  if (text.length === 0) return [skip(file, first, 'card metadata with no title before it')];
  if (text.length === 1 && !meta) return [skip(file, first, `title "${first.text}" has no abstract or card metadata (file ends)`)];
  if (text.length > 1 && text.length % 2 === 1) {
    return [skip(file, first, `${text.length} text lines before the next "·": cannot tell titles from abstracts`)];
  }
  const events: ParseEvent[] = [];
  for (let i = 0; i < text.length; i += 2) {
    const title = text[i];
    const base: PaperRecord = { source: 'hf-page', title: cleanText(title.text) };
    if (text[i + 1]) base.abstract = cleanText(text[i + 1].text);
    const last = i + 2 >= text.length;
    if (!last || !meta) {
      events.push(record(file, title, base));
      continue;
    }
    const parsed = cardMeta(meta.meta.text, meta.date?.text, year);
    events.push(typeof parsed === 'string' ? skip(file, title, parsed) : record(file, title, { ...base, ...parsed }));
  }
  return events;
}

/** The author count or organization, the date and the upvotes of a card, or why they cannot be read. */
function cardMeta(metaText: string, dateText: string | undefined, year: number): Partial<PaperRecord> | string {
  const out: Partial<PaperRecord> = {};
  const count = AUTHOR_COUNT.exec(metaText);
  if (count) out.authorCount = Number(count[1]);
  else {
    // "huawei-noah HUAWEI Noah's Ark Lab": the organization's slug, then its display name.
    const [slug, ...name] = metaText.split(/\s+/);
    out.organization = { slug, name: name.join(' ') || slug };
  }
  if (dateText === undefined) return `card "${metaText}" ends the file before its date`;
  const date = CARD_DATE.exec(dateText);
  const month = date ? MONTHS.indexOf(date[1]) : -1;
  if (!date || month < 0) return `unrecognized card date "${dateText}" (expected like "Sep 28, 2023" or "Jan 27")`;
  const y = date[3] ? Number(date[3]) : year;
  const day = Number(date[2]);
  const when = new Date(Date.UTC(y, month, day));
  if (when.getUTCMonth() !== month) return `card date "${dateText}" is not a real day in ${y}`;
  out.announcedOn = when.toISOString().slice(0, 10);
  if (date[4]) out.upvotes = Number(date[4]);
  return out;
}

function record(file: string, line: Line, rec: PaperRecord): ParseEvent {
  return recordEvent(at(file, line.number), rec);
}

function skip(file: string, line: Line, reason: string): ParseEvent {
  return { kind: 'skip', location: at(file, line.number), reason };
}
