/**
 * Parser for the arXiv search API (export.arxiv.org/api/query), an Atom 1.0 feed. Handles both the
 * 2025 format (namespaces on <feed>, bare abs/pdf links, one-line summaries) and the legacy format
 * (namespaces on each element, rel/title on links, text hard-wrapped at ~80 columns).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { cleanText, parseArxivId } from '../papers/normalize.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { FormatError, at, type ParseEvent } from './types.ts';

/** A parsed XML element as fast-xml-parser gives it: attributes under `@_`, text under `#text`. */
export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // arXiv declares namespaces on <feed> in one format and on each element in the other; dropping
  // prefixes lets one lookup (`primary_category`, `totalResults`) serve both.
  removeNSPrefix: true,
  // Ids such as 1401.2122 must stay strings, not become numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  captureMetaData: true,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/**
 * Parses a whole XML document, or throws FormatError naming the file and the line where it broke.
 * Validation runs first because the parser alone accepts truncated input and half-builds a tree.
 */
export function loadXml(xml: string, file: string): XmlNode {
  const text = xml.replace(/^\uFEFF/, '');
  if (!text.trimStart().startsWith('<')) {
    throw new FormatError(file, `not XML (starts with ${JSON.stringify(text.trimStart().slice(0, 20))})`);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line } = valid.err;
    throw new FormatError(file, `invalid or truncated XML at line ${line}: ${msg}`);
  }
  return parser.parse(text) as XmlNode;
}

/** The text of an element, whether it came back as a plain string or as `{ '#text', '@_attr' }`. */
export function textOf(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return textOf(node[0]);
  if (typeof node === 'object' && '#text' in node) return textOf((node as XmlNode)['#text']);
  return undefined;
}

/** Cleaned text of an element, or undefined when it is absent or blank. */
export function cleanOf(node: unknown): string | undefined {
  const t = textOf(node);
  return t === undefined ? undefined : cleanText(t) || undefined;
}

/** An element that may occur once or many times, always as an array (the parser collapses singletons). */
export function listOf(node: unknown): unknown[] {
  if (node === undefined || node === null) return [];
  return Array.isArray(node) ? node : [node];
}

/** An attribute of an element, if the element is an object and has it. */
export function attrOf(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const v = (node as XmlNode)[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}

/** A function giving a parsed node's 1-based line in `xml`; cheapest when asked in document order. */
export function lineCounter(xml: string): (node: unknown) => number | undefined {
  // Nodes arrive in document order, so counting newlines incrementally keeps this linear.
  let pos = 0;
  let line = 1;
  return (node) => {
    if (!node || typeof node !== 'object') return undefined;
    const start = (node as Record<symbol, { startIndex?: number } | undefined>)[META]?.startIndex;
    if (start === undefined) return undefined;
    if (start < pos) {
      pos = 0;
      line = 1;
    }
    for (; pos < start; pos++) if (xml.charCodeAt(pos) === 10) line++;
    return line;
  };
}

/** An ISO timestamp in UTC (`2015-01-21T02:41:55Z`), a bare date kept as is, or undefined if unreadable. */
export function isoTimestamp(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const s = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** What one page of the arXiv API holds: its entries as events, plus OpenSearch paging numbers. */
export interface ArxivAtomPage {
  events: ParseEvent[];
  totalResults?: number;
  startIndex?: number;
  itemsPerPage?: number;
}

/** Parses one arXiv API response (Atom), 2025 or legacy format, into record and skip events. */
export function parseArxivAtom(xml: string, file: string): ArxivAtomPage {
  const doc = loadXml(xml, file);
  const feed = doc.feed as XmlNode | undefined;
  if (!feed || typeof feed !== 'object') {
    const root = Object.keys(doc)[0];
    throw new FormatError(file, root ? `not an Atom feed (root element <${root}>)` : 'empty document');
  }
  const page: ArxivAtomPage = {
    events: [],
    totalResults: intOf(feed.totalResults),
    startIndex: intOf(feed.startIndex),
    itemsPerPage: intOf(feed.itemsPerPage),
  };
  const lineOf = lineCounter(xml);
  listOf(feed.entry).forEach((node, i) => {
    const entry = (node && typeof node === 'object' ? node : {}) as XmlNode;
    const rawId = textOf(entry.id)?.trim() ?? '';
    // The API reports a bad query as a feed with one entry whose id points at its error list.
    if (/arxiv\.org\/api\/errors/i.test(rawId)) {
      throw new FormatError(file, `arXiv API error: ${cleanOf(entry.summary) ?? rawId}`);
    }
    const line = lineOf(node);
    const location = at(file, line === undefined ? `entry ${i + 1}` : `entry ${i + 1} (line ${line})`);
    const result = entryToRecord(entry, rawId);
    page.events.push(
      typeof result === 'string'
        ? { kind: 'skip', location, reason: result }
        : { kind: 'record', record: result, location },
    );
  });
  return page;
}

/** One <entry> as a record, or the reason it cannot be one. */
function entryToRecord(entry: XmlNode, rawId: string): PaperRecord | string {
  if (!rawId) return 'entry has no <id>';
  const parsed = parseArxivId(rawId);
  if (!parsed) return `unrecognised arXiv id ${JSON.stringify(rawId)}`;
  const title = cleanOf(entry.title);
  if (!title) return `entry ${parsed.id} has no <title>`;

  const published = isoTimestamp(textOf(entry.published));
  const authors = listOf(entry.author)
    .map((a) => cleanOf((a as XmlNode)?.name))
    .filter((n): n is string => !!n);
  const categories = listOf(entry.category)
    .map((c) => attrOf(c, 'term')?.trim())
    .filter((c): c is string => !!c);
  const primary = attrOf(entry.primary_category, 'term')?.trim();
  // The DOI element is the reliable source; older feeds sometimes only carry the doi.org link.
  const doiLink = listOf(entry.link).find((l) => /doi\.org\//i.test(attrOf(l, 'href') ?? ''));
  const doi = cleanOf(entry.doi) ?? attrOf(doiLink, 'href')?.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '');

  const record: PaperRecord = {
    source: 'arxiv-atom',
    arxivId: parsed.id,
    version: parsed.version,
    title,
    abstract: cleanOf(entry.summary),
    authors: authors.length ? authors : undefined,
    authorCount: authors.length || undefined,
    categories: categories.length ? categories : primary ? [primary] : undefined,
    primaryCategory: primary ?? categories[0],
    publishedAt: published,
    updatedAt: isoTimestamp(textOf(entry.updated)),
    announcedOn: published?.slice(0, 10),
    comment: cleanOf(entry.comment),
    journalRef: cleanOf(entry.journal_ref),
    doi,
    links: { abs: `https://arxiv.org/abs/${parsed.id}`, pdf: `https://arxiv.org/pdf/${parsed.id}` },
  };
  return dropUndefined(record);
}

/** A record without its undefined keys, so equality checks and hashes see only what the source said. */
export function dropUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

function intOf(node: unknown): number | undefined {
  const t = textOf(node)?.trim();
  return t && /^\d+$/.test(t) ? Number(t) : undefined;
}
