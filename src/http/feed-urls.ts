/**
 * Addresses of the feeds (RSS 2.0 by default, Atom with `?format=atom`):
 *
 *   /feeds/daily.xml                 the newest listing day (?date=YYYY-MM-DD for another; &page=N past 1,000 papers)
 *   /feeds/trending.xml              the store by hotness
 *   /feeds/search.xml?q=…            a keyword search and/or filters: &cat= &org= (repeatable, as on /search)
 *   /feeds/authors/<id>.xml          an author's papers
 *   /feeds/organizations/<slug>.xml  an organization's papers
 */
import type { FeedFormat } from '../feeds/feed-xml.ts';

/** A feed a page links with <link rel="alternate">. */
export interface FeedLink {
  title: string;
  href: string;
  format: FeedFormat;
}

const withFormat = (path: string, params: URLSearchParams, format: FeedFormat) => {
  if (format === 'atom') params.set('format', 'atom');
  const q = params.toString();
  return q ? `${path}?${q}` : path;
};

/** The daily feed (of a given day, or the newest); pages past the first of a day too large for one document. */
export function dailyFeedUrl(day?: string, format: FeedFormat = 'rss', page = 1): string {
  const params = new URLSearchParams(day ? { date: day } : {});
  if (page > 1) params.set('page', String(page));
  return withFormat('/feeds/daily.xml', params, format);
}

/** The trending feed. */
export function trendingFeedUrl(format: FeedFormat = 'rss'): string {
  return withFormat('/feeds/trending.xml', new URLSearchParams(), format);
}

/** The feed of a search and/or filters. */
export function searchFeedUrl(s: { q?: string; cat?: string[]; org?: string[] }, format: FeedFormat = 'rss'): string {
  const params = new URLSearchParams();
  if (s.q) params.set('q', s.q);
  for (const c of s.cat ?? []) params.append('cat', c);
  for (const o of s.org ?? []) params.append('org', o);
  return withFormat('/feeds/search.xml', params, format);
}

/** An author's feed. */
export function authorFeedUrl(id: number, format: FeedFormat = 'rss'): string {
  return withFormat(`/feeds/authors/${id}.xml`, new URLSearchParams(), format);
}

/** An organization's feed. */
export function organizationFeedUrl(slug: string, format: FeedFormat = 'rss'): string {
  return withFormat(`/feeds/organizations/${encodeURIComponent(slug)}.xml`, new URLSearchParams(), format);
}

/** RSS and Atom links of one feed, for a page's `feeds` prop. */
export function feedLinks(title: string, url: (format: FeedFormat) => string): FeedLink[] {
  return [
    { title: `${title} (RSS)`, href: url('rss'), format: 'rss' },
    { title: `${title} (Atom)`, href: url('atom'), format: 'atom' },
  ];
}
