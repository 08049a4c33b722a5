/**
 * Query-string parameters shared by the routes, validated in one place with zod: the list query (order,
 * paper-filter values, page), the search page's and the search API's own. Limits come from the paper filter (FILTER_LIMITS), so
 * a request asking for more values than one filter may hold is refused here with a 400 that says the limit.
 */
import { z } from 'zod';
import { FILTER_LIMITS, type PaperFilter } from '../filter/paper-filter.ts';
import type { ListingSort } from '../listings/listings.repo.ts';
import { dateBound, type SearchMode } from '../search/query.ts';
import type { SearchSort } from '../search/search.service.ts';
import type { ListQuery, SearchQuery } from './urls.ts';

// Digits only (no "1e3", "0x10" or " 2"), with an upper bound that keeps OFFSET arithmetic small.
const MAX_PAGE = 1_000_000;

/** The `?page=N` of a list (1 when absent), or undefined when it is not a page number. */
export function pageParam(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return 1;
  if (!/^\d{1,7}$/.test(raw)) return undefined;
  const page = Number(raw);
  return page >= 1 && page <= MAX_PAGE ? page : undefined;
}

/** A list's query string, read and checked; `error` says what is wrong, in words for the reader. */
export type ParsedListQuery = { ok: true; query: Required<Pick<ListQuery, 'page'>> & ListQuery } | { ok: false; error: string };

const SORTS: ListingSort[] = ['trending', 'upvotes', 'newest'];
// Category names (cs.CV, hep-th, q-bio.NC) and organization slugs or names; anything else cannot match a stored value.
const CATEGORY = /^[A-Za-z][A-Za-z0-9-]{0,30}(\.[A-Za-z0-9-]{1,30})?$/;
const ORGANIZATION = /^[\p{L}\p{N}][\p{L}\p{N} ._&'-]{0,99}$/u;
const AUTHOR = /^[^\p{Cc}]{1,100}$/u;

const values = (pattern: RegExp, what: string) =>
  z
    .array(z.string().max(100, `A ${what} is at most 100 characters.`).regex(pattern, `That is not a ${what} name.`))
    .max(FILTER_LIMITS.valuesPerField, `At most ${FILTER_LIMITS.valuesPerField} ${what} values at once.`);

/** The filter parameters every list, search and feed understands (each may repeat: `cat=cs.CV&cat=cs.LG`). */
const FilterParams = z.object({
  cat: values(CATEGORY, 'category'),
  notcat: values(CATEGORY, 'category'),
  org: values(ORGANIZATION, 'organization'),
  notorg: values(ORGANIZATION, 'organization'),
  author: values(AUTHOR, 'author'),
  notauthor: values(AUTHOR, 'author'),
});

const FILTER_KEYS = ['cat', 'notcat', 'org', 'notorg', 'author', 'notauthor'] as const;

/** Reads `sort`, the filter values and `page`; `all(name)` gives every value of a repeated parameter. */
export function listQueryParam(all: (name: string) => string[] | undefined, sortable = true): ParsedListQuery {
  const one = (name: string) => all(name)?.[0];
  const page = pageParam(one('page'));
  if (page === undefined) return { ok: false, error: 'The page number must be a whole number from 1.' };
  const sort = one('sort') || undefined;
  if (sort !== undefined && (!sortable || !SORTS.includes(sort as ListingSort))) {
    return { ok: false, error: sortable ? 'The order must be trending, upvotes or newest.' : 'This list has a fixed order.' };
  }
  // An empty value is what a form's "any" option sends: it means no filter. A comma separates values too.
  const raw = Object.fromEntries(FILTER_KEYS.map((key) => [key, [...new Set((all(key) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))]]));
  const parsed = FilterParams.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0]);
    const bad = typeof issue.path[1] === 'number' ? raw[key][issue.path[1]] : undefined;
    return { ok: false, error: bad !== undefined ? `“${bad.slice(0, 40)}”: ${issue.message}` : issue.message };
  }
  const query: ListQuery & { page: number } = { page, sort: sort as ListingSort | undefined };
  for (const key of FILTER_KEYS) if (parsed.data[key].length) query[key] = parsed.data[key];
  return { ok: true, query };
}

/** The paper filter a list query describes. */
export function listFilter(q: ListQuery): PaperFilter {
  const f: PaperFilter = {};
  if (q.cat) f.categories = q.cat;
  if (q.notcat) f.excludeCategories = q.notcat;
  if (q.org) f.organizations = q.org;
  if (q.notorg) f.excludeOrganizations = q.notorg;
  if (q.author) f.authors = q.author;
  if (q.notauthor) f.excludeAuthors = q.notauthor;
  return f;
}

/**
 * A listing-day range from `since`/`until` (or the pages' `from`/`to`), each `YYYY`, `YYYY-MM` or
 * `YYYY-MM-DD` as in the query language's `since:`/`until:`; or an error for the reader.
 */
export function dayRangeParam(one: (name: string) => string | undefined): { ok: true; since?: string; until?: string } | { ok: false; error: string } {
  const rawSince = one('since') || one('from') || undefined;
  const rawUntil = one('until') || one('to') || undefined;
  const since = rawSince ? dateBound(rawSince, 'start') : undefined;
  const until = rawUntil ? dateBound(rawUntil, 'end') : undefined;
  if ((rawSince && !since) || (rawUntil && !until)) return { ok: false, error: 'Dates are days like 2026-11-20 (or a month 2026-11, or a year 2026).' };
  return { ok: true, since, until };
}

const MODES: SearchMode[] = ['keyword', 'semantic', 'hybrid'];

/** `?mode=` of a search (hybrid when absent), or an error for the reader. */
export function modeParam(raw: string | undefined): { ok: true; mode: SearchMode } | { ok: false; error: string } {
  const mode = (raw || 'hybrid') as SearchMode;
  return MODES.includes(mode) ? { ok: true, mode } : { ok: false, error: `mode must be one of ${MODES.join(', ')}.` };
}

const SEARCH_SORTS: SearchSort[] = ['relevance', 'newest', 'upvotes'];

/** `?sort=` of a search (relevance when absent or empty), or an error for the reader. */
export function searchSortParam(raw: string | undefined): { ok: true; sort: SearchSort } | { ok: false; error: string } {
  const sort = (raw || 'relevance') as SearchSort;
  return SEARCH_SORTS.includes(sort) ? { ok: true, sort } : { ok: false, error: 'The order of a search must be relevance, newest or upvotes.' };
}

/** The longest query the search page reads; the rest is cut off. */
const MAX_PAGE_QUERY = 500;

/** The search page's query string, read and checked: the search itself and the list query (filters, page). */
export type ParsedSearchPage = { ok: true; search: SearchQuery; query: Required<Pick<ListQuery, 'page'>> & ListQuery } | { ok: false; error: string };

/**
 * Reads `q`, `mode`, `sort`, `from`/`to` (or `since`/`until`), `literal=1`, the filter values and `page`. Defaults
 * (hybrid, relevance) are left undefined, so that the page's links keep one URL per search.
 */
export function searchPageParams(all: (name: string) => string[] | undefined): ParsedSearchPage {
  const one = (name: string) => all(name)?.[0];
  // `sort` is the search's own order, not a list's.
  const list = listQueryParam((name) => (name === 'sort' ? undefined : all(name)), false);
  if (!list.ok) return list;
  const days = dayRangeParam(one);
  if (!days.ok) return days;
  const mode = modeParam(one('mode'));
  if (!mode.ok) return mode;
  const sort = searchSortParam(one('sort'));
  if (!sort.ok) return sort;
  const search: SearchQuery = {
    q: (one('q') ?? '').trim().slice(0, MAX_PAGE_QUERY),
    from: days.since,
    to: days.until,
    mode: one('mode') ? mode.mode : undefined,
    sort: sort.sort === 'relevance' ? undefined : sort.sort,
    literal: one('literal') === '1' || undefined,
  };
  return { ok: true, search, query: list.query };
}
