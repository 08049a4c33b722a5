/**
 * Paperboy's URL scheme, in one place: every link a page or a mail renders and every reference a route accepts.
 * Outside src/http/ so that mails (src/digest/, src/subscriptions/) and feeds link the same way pages do;
 * src/http/urls.ts re-exports it for the web layer.
 *
 *   /                         the newest listing day (Daily Papers)
 *   /day/2026-11-20           one listing day; /day?date=2026-11-20 (the date picker) redirects there
 *   /week/2026-W47            an ISO week, Monday to Sunday
 *   /month/2026-11            a month
 *       ?sort=trending|upvotes|newest  ?cat=cs.CV  ?notcat=cs.CL  ?org=slug  ?notorg=slug  (repeatable)  ?page=N
 *       ?hide=read                leave out what the signed-in reader read or is not interested in (every list)
 *   /trending                 the whole store by hotness, same filters
 *   /search?q=...             search; &mode=keyword|hybrid|semantic &sort=newest|upvotes &from=YYYY-MM-DD &to=YYYY-MM-DD
 *                             &cat= (repeatable) &notcat= &org= &notorg= &literal=1 (no spelling correction) &page=
 *   /authors/123              an author's papers;  /orgs/slug  an organization's papers
 *   /archive                  every month and listing day with its count
 *   /papers/2401.01234        a paper with an arXiv id (old-style ids keep their slash: /papers/hep-th/9901001)
 *   /papers/id/123            a paper without an arXiv id, by its numeric id
 *   /api/...                  every list and paper above as JSON, same paths and parameters
 *                             (/api/day is the newest day, as / is)
 */
import type { Period, PeriodKind } from './listings/period.ts';
import { periodKey } from './listings/period.ts';
import type { ListingSort } from './listings/listings.repo.ts';
import { httpUrl } from './papers/links.ts';
import { parseArxivId } from './papers/normalize.ts';
import type { Paper } from './papers/paper.ts';
import type { SearchMode } from './search/query.ts';
import type { SearchSort } from './search/search.service.ts';

/** How many papers one page of a list shows (HTML and JSON alike). */
export const PAGE_SIZE = 30;

/** A paper reference taken from a URL: an arXiv id (maybe versioned) or a numeric id. */
export type PaperRef = { arxivId: string; version?: number } | { id: number };

// arXiv ids only contain [A-Za-z0-9.-/], but encode each segment anyway so nothing stored can break out of a URL.
const encodePath = (value: string) => value.split('/').map(encodeURIComponent).join('/');

/** The canonical page of a paper: by arXiv id when it has one, else by numeric id. */
export function paperUrl(paper: Pick<Paper, 'id' | 'arxivId'>): string {
  return paper.arxivId ? `/papers/${encodePath(paper.arxivId)}` : `/papers/id/${paper.id}`;
}

/** Every author of a paper, for bylines too long for the paper page itself. */
export function paperAuthorsUrl(paper: Pick<Paper, 'id' | 'arxivId'>): string {
  return `${paperUrl(paper)}/authors`;
}

/** The JSON twin of `paperUrl`. */
export function paperApiUrl(paper: Pick<Paper, 'id' | 'arxivId'>): string {
  return `/api${paperUrl(paper)}`;
}

/** The start page (newest papers) at a given page number; page 1 has no query string. */
export function homeUrl(page = 1): string {
  return page > 1 ? `/?page=${page}` : '/';
}

/** The JSON list of newest papers at a given page number. */
export function papersApiUrl(page = 1): string {
  return page > 1 ? `/api/papers?page=${page}` : '/api/papers';
}

/** Parses the part of a paper URL after `/papers/`; undefined when it is no reference at all. */
export function parsePaperRef(raw: string): PaperRef | undefined {
  const numeric = /^id\/(\d{1,10})$/.exec(raw);
  // Ids beyond a 32-bit integer cannot exist, and PostgreSQL would reject them as out of range.
  if (numeric) return Number(numeric[1]) <= 2 ** 31 - 1 ? { id: Number(numeric[1]) } : undefined;
  const arxiv = parseArxivId(raw);
  return arxiv ? { arxivId: arxiv.id, version: arxiv.version } : undefined;
}

/** Only http(s) links are rendered as links: a stored `javascript:` or `data:` URL must never become clickable. */
export function safeExternalUrl(url: string | null | undefined): string | undefined {
  return url ? httpUrl(url) : undefined;
}

/** The resolver link of a DOI. */
export function doiUrl(doi: string): string {
  return `https://doi.org/${encodePath(doi)}`;
}

/** The reader's choices on a list page, as they travel in the query string. */
export interface ListQuery {
  sort?: ListingSort;
  cat?: string[];
  notcat?: string[];
  org?: string[];
  notorg?: string[];
  author?: string[];
  notauthor?: string[];
  /** `read`: leave out the papers the signed-in reader read or marked "not interested" (a personal, uncached view). */
  hide?: 'read';
  page?: number;
}

/** The default order of each list; it is left out of URLs. */
export const DEFAULT_SORT: ListingSort = 'trending';

/** `path` with the list query in a fixed order, defaults left out, so one list has one URL. */
export function withListQuery(path: string, q: ListQuery = {}, extra: [string, string | undefined][] = []): string {
  const params = new URLSearchParams();
  for (const [key, value] of extra) if (value) params.append(key, value);
  if (q.sort && q.sort !== DEFAULT_SORT) params.append('sort', q.sort);
  for (const key of ['cat', 'notcat', 'org', 'notorg', 'author', 'notauthor'] as const) for (const value of q[key] ?? []) params.append(key, value);
  if (q.hide) params.append('hide', q.hide);
  if (q.page && q.page > 1) params.append('page', String(q.page));
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/** A day, week or month page. */
export function periodUrl(period: Period, q?: ListQuery): string {
  return withListQuery(`/${period.kind}/${periodKey(period)}`, q);
}

/** The JSON twin of a period page; `/api/day` alone is the newest day. */
export function periodApiUrl(period: Period | 'latest', q?: ListQuery): string {
  return withListQuery(period === 'latest' ? '/api/day' : `/api${periodUrl(period)}`, q);
}

/** Where the date picker sends its `?date=` (it redirects to the day's page). */
export function periodPickerUrl(kind: PeriodKind): string {
  return `/${kind}`;
}

/** The trending page. */
export function trendingUrl(q?: ListQuery): string {
  return withListQuery('/trending', q);
}

/** What the search page reads besides the list query. */
export interface SearchQuery {
  q: string;
  from?: string;
  to?: string;
  /** Which rankers (default hybrid); a digest's "see them all" link asks for keyword, as alerts match. */
  mode?: SearchMode;
  /** The order (default relevance, left out of URLs). */
  sort?: SearchSort;
  /** Search the words as written: no spelling suggestion is applied (`literal=1`). */
  literal?: boolean;
}

/** The search page for a query; a list's own order (`q.sort`) is not the search's and is left out. */
export function searchUrl(s: SearchQuery, q?: ListQuery, api = false): string {
  return withListQuery(api ? '/api/search' : '/search', { ...q, sort: undefined }, [
    ['q', s.q],
    ['from', s.from],
    ['to', s.to],
    ['mode', s.mode],
    ['sort', s.sort === 'relevance' ? undefined : s.sort],
    ['literal', s.literal ? '1' : undefined],
  ]);
}

/** An author's page. */
export function authorUrl(author: { id: number }, page = 1): string {
  return withListQuery(`/authors/${author.id}`, { page });
}

/** An organization's page. */
export function orgUrl(org: { slug: string }, page = 1): string {
  return withListQuery(`/orgs/${encodeURIComponent(org.slug)}`, { page });
}

/** The month-by-month archive. */
export function archiveUrl(): string {
  return '/archive';
}
