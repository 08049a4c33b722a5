/**
 * Parser for the arXiv search API (export.arxiv.org/api/query), an Atom 1.0 feed. Handles both the
 * 2025 format (namespaces on <feed>, bare abs/pdf links, one-line summaries) and the legacy format
 * (namespaces on each element, rel/title on links, text hard-wrapped at ~80 columns).
 */
import { parseArxivId } from '../papers/normalize.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { FormatError, at, recordEvent, type ParseEvent } from './types.ts';
import { cleanOf, dropUndefined, isoTimestamp, lineCounter, listOf, loadXml, textOf, attrOf, type XmlNode } from './xml.ts';
import { isWithdrawal, listingDayOfFirstVersion } from './arxiv-versions.ts';

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
    page.events.push(recordEvent(location, entryToRecord(entry, rawId)));
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
    // `published` is when the first version was submitted; it is listed with the next announcement.
    announcedOn: published ? listingDayOfFirstVersion(published) ?? published.slice(0, 10) : undefined,
    comment: cleanOf(entry.comment),
    journalRef: cleanOf(entry.journal_ref),
    doi,
    links: { abs: `https://arxiv.org/abs/${parsed.id}`, pdf: `https://arxiv.org/pdf/${parsed.id}` },
  };
  if (isWithdrawal(record.comment)) record.withdrawn = true;
  return dropUndefined(record);
}

function intOf(node: unknown): number | undefined {
  const t = textOf(node)?.trim();
  return t && /^\d+$/.test(t) ? Number(t) : undefined;
}
