/**
 * Query-string parameters shared by the routes, validated in one place with zod: the list query (order,
 * paper-filter values, page), the search page's and the search API's own. Limits come from the paper filter (FILTER_LIMITS), so
 * a request asking for more values than one filter may hold is refused here with a 400 that says the limit.
 * The same schemas validate the HTML pages, the JSON API (as route schemas, `src/http/api/openapi.ts`) and
 * describe the API in /api/openapi.json, so their messages are sentences for the reader.
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

/**
 * What a reader is told about a failed schema: the first problem's message. Messages written as sentences
 * (ending in a full stop) are shown as they are; zod's own wording gets the field it is about in front.
 */
export function validationMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request has a value Paperboy cannot read.';
  if (/[.!?]$/.test(issue.message)) return issue.message;
  const where = issue.path.map(String).join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** A query parameter's first value (a repeated `?page=1&page=2` reads as its first, as `c.req.query` does). */
export const firstValue = (value: unknown) => (Array.isArray(value) ? value[0] : value);
/** The first value, with an empty one (a form's "any" option) read as absent. */
export const firstOrAbsent = (value: unknown) => (firstValue(value) === '' ? undefined : firstValue(value)); // null stays null: not a query value

/** Every value of a repeatable parameter: split at commas, trimmed, empty ones dropped, each once. */
function everyValue(value: unknown): unknown {
  if (value === undefined) return [];
  if (typeof value !== 'string' && !Array.isArray(value)) return value; // null and the like fail the array schema
  const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  return [...new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))];
}

const PAGE_MESSAGE = 'The page number must be a whole number from 1.';

/** `?page=`: a whole number from 1 (1 when absent). On the wire a string, so the document says integer. */
export const PageField = z
  .preprocess(firstValue, z.string().optional())
  .transform((raw, ctx) => pageParam(raw) ?? (ctx.addIssue({ code: 'custom', message: PAGE_MESSAGE }), z.NEVER))
  .meta({ type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1, description: 'Page number, from 1.' });

/** The query of a list that only pages (`/api/papers`, an author's or organization's papers). */
export const PageQuery = z.object({ page: PageField });

const SORTS = ['trending', 'upvotes', 'newest'] as const satisfies readonly ListingSort[];
// Category names (cs.CV, hep-th, q-bio.NC) and organization slugs or names; anything else cannot match a stored value.
const CATEGORY = /^[A-Za-z][A-Za-z0-9-]{0,30}(\.[A-Za-z0-9-]{1,30})?$/;
const ORGANIZATION = /^[\p{L}\p{N}][\p{L}\p{N} ._&'-]{0,99}$/u;
const AUTHOR = /^[^\p{Cc}]{1,100}$/u;

// The offending value leads the message, cut short: the reader sees which of several values is wrong.
const quoted = (input: unknown) => `“${String(input).slice(0, 40)}”`;
const values = (pattern: RegExp, what: string, description: string) =>
  z
    .preprocess(
      everyValue,
      z
        .array(
          z
            .string()
            .max(100, { error: (issue) => `${quoted(issue.input)}: A ${what} is at most 100 characters.` })
            .regex(pattern, { error: (issue) => `${quoted(issue.input)}: That is not a ${what} name.` }),
        )
        .max(FILTER_LIMITS.valuesPerField, `At most ${FILTER_LIMITS.valuesPerField} ${what} values at once.`),
    )
    .meta({ description: `${description} Repeat the parameter or separate values with commas.` });

/** The filter parameters every list, search and feed understands (each may repeat: `cat=cs.CV&cat=cs.LG`). */
export const FilterFields = {
  cat: values(CATEGORY, 'category', 'Only papers in these arXiv categories (`cs.CV`) or archives (`cs`).'),
  notcat: values(CATEGORY, 'category', 'Leave out papers in these categories or archives.'),
  org: values(ORGANIZATION, 'organization', 'Only papers from these organizations (slug or name).'),
  notorg: values(ORGANIZATION, 'organization', 'Leave out papers from these organizations.'),
  author: values(AUTHOR, 'author', 'Only papers by these authors (a name or a surname).'),
  notauthor: values(AUTHOR, 'author', 'Leave out papers by these authors.'),
};

const FILTER_KEYS = ['cat', 'notcat', 'org', 'notorg', 'author', 'notauthor'] as const;

/** `?hide=read`: leave out what the signed-in reader has seen (read or "not interested"); every list takes it. */
export const HideField = z
  .preprocess(firstOrAbsent, z.enum(['read'], { error: 'hide can only be read (leave out the papers you have seen).' }).optional())
  .meta({ description: '`read`: leave out the papers the signed-in reader marked read or not interested (the answer is then private to them).' });

/** The parsed list query with empty filters left out, as the URL builders and pages expect it. */
export function compactListQuery(fields: { page: number; sort?: ListingSort; hide?: 'read' } & Record<(typeof FILTER_KEYS)[number], string[]>): Required<Pick<ListQuery, 'page'>> & ListQuery {
  const query: ListQuery & { page: number } = { page: fields.page, sort: fields.sort };
  for (const key of FILTER_KEYS) if (fields[key].length) query[key] = fields[key];
  if (fields.hide) query.hide = fields.hide;
  return query;
}

/** The fields of a list's query with a choice of order (`.extend` it for a route that reads more). */
export const ListQueryObject = z.object({
  page: PageField,
  sort: z
    .preprocess(firstOrAbsent, z.enum(SORTS, { error: 'The order must be trending, upvotes or newest.' }).optional())
    .meta({ description: 'The order (default trending).' }),
  ...FilterFields,
  hide: HideField,
});

/** The query of a list with a choice of order: `sort`, the filters and `page` (the day, week and month lists). */
export const ListQuerySchema = ListQueryObject.transform(compactListQuery);

/** The query of a list with a fixed order (trending, feeds, search): the filters and `page`; a `sort` is refused. */
export const FixedOrderListQuery = z
  .object({
    page: PageField,
    sort: z
      .preprocess(firstValue, z.string().max(0, 'This list has a fixed order.').optional())
      .transform(() => undefined)
      .meta({ description: 'Not accepted: this list has a fixed order (an empty value is ignored).' }),
    ...FilterFields,
    hide: HideField,
  })
  .transform(compactListQuery);

/** A list's query string, read and checked; `error` says what is wrong, in words for the reader. */
export type ParsedListQuery = { ok: true; query: Required<Pick<ListQuery, 'page'>> & ListQuery } | { ok: false; error: string };

/** Reads `sort`, the filter values and `page`; `all(name)` gives every value of a repeated parameter. */
export function listQueryParam(all: (name: string) => string[] | undefined, sortable = true): ParsedListQuery {
  const raw = Object.fromEntries(['page', 'sort', 'hide', ...FILTER_KEYS].map((name) => [name, all(name)]));
  const parsed = (sortable ? ListQuerySchema : FixedOrderListQuery).safeParse(raw);
  return parsed.success ? { ok: true, query: parsed.data } : { ok: false, error: validationMessage(parsed.error) };
}

/** The paper filter a list query describes. */
export function listFilter(q: ListQuery): PaperFilter {
  // An empty list means no condition (as the schemas give it for an absent parameter), never "none of nothing".
  const f: PaperFilter = {};
  if (q.cat?.length) f.categories = q.cat;
  if (q.notcat?.length) f.excludeCategories = q.notcat;
  if (q.org?.length) f.organizations = q.org;
  if (q.notorg?.length) f.excludeOrganizations = q.notorg;
  if (q.author?.length) f.authors = q.author;
  if (q.notauthor?.length) f.excludeAuthors = q.notauthor;
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

/** The text fields of a posted form (files and repeated names' extra values are left out). */
export async function formFields(c: import('hono').Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
