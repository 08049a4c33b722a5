/**
 * RSS 2.0 and Atom 1.0 documents from a list of papers: pure functions, no I/O. Every text is escaped and
 * stripped of characters XML 1.0 forbids (control characters from imported metadata would otherwise make the
 * whole feed unreadable). Ids are the papers' canonical URLs and dates come from the papers, never from the
 * clock, so the same store gives the same feed on every run.
 */

/** Which syntax a feed is written in. */
export type FeedFormat = 'rss' | 'atom';

/** The feed as a whole. */
export interface FeedInfo {
  title: string;
  description: string;
  /** Absolute URL of the feed itself (rel=self). */
  selfUrl: string;
  /** Absolute URL of the matching HTML page. */
  siteUrl: string;
  /** Absolute URLs of the other documents of a paged feed (RFC 5005 section 3). */
  pages?: { rel: 'first' | 'previous' | 'next' | 'last'; href: string }[];
}

/** One entry. */
export interface FeedItem {
  /** Absolute canonical URL: the link, the RSS guid and the Atom id. */
  url: string;
  /** Plain text: feed readers show titles as text, so TeX comes already read as Unicode (papers/latex-text.ts). */
  title: string;
  /** Plain text too; `type="text"` in Atom, escaped text in RSS. */
  summary: string;
  authors: string[];
  categories: string[];
  /** ISO date or timestamp of publication (listing day when nothing finer is known). */
  published: string;
  updated?: string;
}

// XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates (lone ones), U+FFFE and U+FFFF.
const INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text made safe for XML element content and attribute values. */
export function xmlText(value: string): string {
  return value.replace(INVALID, '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function isoInstant(value: string): string {
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return new Date(Number.isNaN(ms) ? 0 : ms).toISOString().replace(/\.000Z$/, 'Z');
}

function rfc822(value: string): string {
  // toUTCString gives "Wed, 01 Jul 2026 00:00:00 GMT", which is RFC 822 as RSS 2.0 wants it.
  return new Date(isoInstant(value)).toUTCString();
}

/** The newest date among the items (stable: taken from data, not from the clock). */
function newest(items: FeedItem[]): string {
  const dates = items.map((i) => isoInstant(i.updated ?? i.published)).sort();
  return dates.at(-1) ?? '1970-01-01T00:00:00Z';
}

/** An RSS 2.0 document. */
export function rssFeed(info: FeedInfo, items: FeedItem[]): string {
  const entries = items.map((i) =>
    [
      '    <item>',
      `      <title>${xmlText(i.title)}</title>`,
      `      <link>${xmlText(i.url)}</link>`,
      `      <guid isPermaLink="true">${xmlText(i.url)}</guid>`,
      `      <pubDate>${rfc822(i.published)}</pubDate>`,
      i.authors.length ? `      <dc:creator>${xmlText(i.authors.join(', '))}</dc:creator>` : '',
      ...i.categories.map((c) => `      <category>${xmlText(c)}</category>`),
      `      <description>${xmlText(i.summary)}</description>`,
      '    </item>',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '  <channel>',
    `    <title>${xmlText(info.title)}</title>`,
    `    <link>${xmlText(info.siteUrl)}</link>`,
    `    <description>${xmlText(info.description)}</description>`,
    `    <atom:link href="${xmlText(info.selfUrl)}" rel="self" type="application/rss+xml"/>`,
    ...(info.pages ?? []).map((l) => `    <atom:link href="${xmlText(l.href)}" rel="${l.rel}" type="application/rss+xml"/>`),
    '    <language>en</language>',
    '    <generator>Paperboy</generator>',
    `    <lastBuildDate>${rfc822(newest(items))}</lastBuildDate>`,
    ...entries,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

/** An Atom 1.0 document. */
export function atomFeed(info: FeedInfo, items: FeedItem[]): string {
  const entries = items.map((i) =>
    [
      '  <entry>',
      `    <id>${xmlText(i.url)}</id>`,
      `    <title type="text">${xmlText(i.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(i.url)}"/>`,
      `    <published>${isoInstant(i.published)}</published>`,
      `    <updated>${isoInstant(i.updated ?? i.published)}</updated>`,
      ...i.authors.map((a) => `    <author><name>${xmlText(a)}</name></author>`),
      ...i.categories.map((c) => `    <category term="${xmlText(c)}"/>`),
      `    <summary type="text">${xmlText(i.summary)}</summary>`,
      '  </entry>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
    `  <id>${xmlText(info.selfUrl)}</id>`,
    `  <title type="text">${xmlText(info.title)}</title>`,
    `  <subtitle type="text">${xmlText(info.description)}</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(info.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(info.siteUrl)}"/>`,
    ...(info.pages ?? []).map((l) => `  <link rel="${l.rel}" type="application/atom+xml" href="${xmlText(l.href)}"/>`),
    `  <updated>${newest(items)}</updated>`,
    '  <author><name>Paperboy</name></author>',
    '  <generator>Paperboy</generator>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}

/** The document in the asked-for format. */
export function renderFeed(format: FeedFormat, info: FeedInfo, items: FeedItem[]): string {
  return format === 'atom' ? atomFeed(info, items) : rssFeed(info, items);
}

/** The Content-Type of a format. */
export function feedContentType(format: FeedFormat): string {
  return format === 'atom' ? 'application/atom+xml; charset=utf-8' : 'application/rss+xml; charset=utf-8';
}
