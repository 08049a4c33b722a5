/**
 * Parser for RSS and Atom feeds of papers (a journal's table of contents, a conference's, arXiv's own
 * category feeds): RSS 2.0, RSS 1.0 (RDF, as Nature and many publishers serve it) and Atom. Entries are
 * matched to arXiv ids or DOIs where they carry them — in the link, the guid or id, `prism:doi`,
 * `dc:identifier` — so a journal's entry joins the arXiv paper it publishes; the rest are matched on title.
 * An arXiv API answer (an Atom feed of arxiv.org/abs ids) is read by the arXiv parser, which knows it better.
 */
import { normalizeDoi, parseArxivId, splitCategories } from '../papers/normalize.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { PHYSICS_ARCHIVES } from '../fetch/arxiv.ts';
import { parseArxivAtom } from './arxiv-atom.ts';
import { FormatError, at, recordEvent, type ParseEvent } from './types.ts';
import { attrOf, cleanOf, dropUndefined, isoTimestamp, lineCounter, listOf, loadXml, textOf, type XmlNode } from './xml.ts';

/** Parses one feed document into record and skip events; `file` (its URL) is where locations point. */
export function parseFeed(xml: string, file: string): ParseEvent[] {
  const doc = loadXml(xml, file);
  const lineOf = lineCounter(xml);
  const rss = doc.rss as XmlNode | undefined;
  const rdf = doc.RDF as XmlNode | undefined;
  const atom = doc.feed as XmlNode | undefined;
  let items: unknown[];
  let read: (item: XmlNode) => PaperRecord | string;
  if (rss && typeof rss === 'object') {
    items = listOf((rss.channel as XmlNode | undefined)?.item);
    read = fromRssItem;
  } else if (rdf && typeof rdf === 'object') {
    items = listOf(rdf.item);
    read = fromRssItem;
  } else if (atom && typeof atom === 'object') {
    const entries = listOf(atom.entry);
    if (entries.length > 0 && entries.every((e) => /arxiv\.org\/abs\//i.test(textOf((e as XmlNode)?.id) ?? ''))) return parseArxivAtom(xml, file).events;
    items = entries;
    read = fromAtomEntry;
  } else {
    const root = Object.keys(doc)[0];
    throw new FormatError(file, root ? `not an RSS or Atom feed (root element <${root}>)` : 'empty document');
  }
  return items.map((node, i) => {
    const line = lineOf(node);
    const location = at(file, line === undefined ? `item ${i + 1}` : `item ${i + 1} (line ${line})`);
    return recordEvent(location, read((node && typeof node === 'object' ? node : {}) as XmlNode));
  });
}

/** An RSS 2.0 or 1.0 item. */
function fromRssItem(item: XmlNode): PaperRecord | string {
  const creators = listOf(item.creator).map((c) => cleanOf(c)).filter((c): c is string => !!c);
  // arXiv's feeds put every author in one dc:creator; publishers give one element each.
  const authors = creators.length === 1 ? splitNames(creators[0]) : creators;
  const description = textOf(item.description) ?? textOf(item.encoded);
  return entryRecord(item, {
    title: textOf(item.title),
    summary: description,
    links: [textOf(item.link), attrOf(item, 'about')],
    ids: [textOf(item.guid), ...listOf(item.identifier).map(textOf)],
    authors: authors.length ? authors : listOf(item.author).map((a) => cleanOf(a)).filter((a): a is string => !!a),
    date: textOf(item.pubDate) ?? textOf(item.date),
    categories: listOf(item.category).map((c) => cleanOf(c)).filter((c): c is string => !!c),
  });
}

/** An Atom entry. */
function fromAtomEntry(entry: XmlNode): PaperRecord | string {
  const links = listOf(entry.link).map((l) => attrOf(l, 'href'));
  return entryRecord(entry, {
    title: textOf(entry.title),
    summary: textOf(entry.summary) ?? textOf(entry.content),
    links,
    ids: [textOf(entry.id)],
    authors: listOf(entry.author).map((a) => cleanOf((a as XmlNode)?.name)).filter((a): a is string => !!a),
    date: textOf(entry.published) ?? textOf(entry.updated),
    categories: listOf(entry.category).map((c) => attrOf(c, 'term')?.trim()).filter((c): c is string => !!c),
  });
}

interface EntryFields {
  title?: string;
  summary?: string;
  links: (string | undefined)[];
  ids: (string | undefined)[];
  authors: string[];
  date?: string;
  categories: string[];
}

/** The record of one entry, whatever the dialect, or why there is none. */
function entryRecord(node: XmlNode, f: EntryFields): PaperRecord | string {
  const title = f.title && stripHtml(f.title);
  if (!title) return 'entry has no title';
  const candidates = [...f.links, ...f.ids].filter((v): v is string => !!v).map((v) => v.trim());
  const arxiv = candidates.map((v) => parseArxivId(v.replace(/^https?:\/\/arxiv\.org\/(abs|pdf)\//i, ''))).find((p) => p !== undefined);
  const doi = [textOf(node.doi), ...candidates.filter((v) => /^doi:|doi\.org\//i.test(v))].map((v) => (v ? normalizeDoi(v) : undefined)).find(Boolean);
  const publishedAt = f.date ? isoTimestamp(f.date) : undefined;
  // arXiv's feeds list replacements too: a revision's listing day is its first version's, not today's.
  const announceType = cleanOf(node.announce_type)?.toLowerCase();
  const revision = announceType !== undefined && announceType.startsWith('replace');
  const link = f.links.find((l) => l && /^https?:\/\//i.test(l));
  // Only arXiv's own categories mean anything here (cs.LG, hep-th); a journal's subject headings are left out.
  const categories = splitCategories(f.categories).kept.filter((c) => c.includes('.') || PHYSICS_ARCHIVES.has(c));
  return dropUndefined<PaperRecord>({
    source: 'feed',
    arxivId: arxiv?.id,
    version: arxiv?.version,
    doi,
    title,
    abstract: f.summary ? stripHtml(f.summary).replace(/^arXiv:\S+\s+Announce Type:\s*\S+\s*Abstract:\s*/i, '') || undefined : undefined,
    authors: f.authors.length ? f.authors : undefined,
    categories: categories.length ? categories : undefined,
    publishedAt: revision ? undefined : publishedAt,
    announcedOn: revision || !publishedAt ? undefined : dayOf(publishedAt),
    links: link ? { abs: link } : undefined,
  });
}

/** The UTC day of a timestamp the schema will check; an unreadable value is passed on for it to refuse. */
function dayOf(timestamp: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(timestamp) ? timestamp.slice(0, 10) : timestamp;
}

/** One string of names, separated by commas, semicolons or "and". */
function splitNames(text: string): string[] {
  return text.split(/\s*[,;]\s*(?:and\s+)?|\s+and\s+/).map((n) => n.trim()).filter(Boolean);
}

/** Markup (a description's HTML) reduced to its text; entities were decoded by the XML parser. */
function stripHtml(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' })[e] ?? ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
