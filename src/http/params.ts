/** Query-string parameters shared by several routes, validated in one place. */
import type { ListingSort } from '../listings/listings.repo.ts';
import type { ListQuery } from './urls.ts';

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
// Category names (cs.CV, hep-th, q-bio.NC) and organization slugs; anything else cannot match a stored value.
const CATEGORY = /^[A-Za-z][A-Za-z0-9-]{0,30}(\.[A-Za-z0-9-]{1,30})?$/;
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MAX_VALUES = 20;

/** Reads `sort`, `cat`, `notcat`, `org`, `notorg` and `page`; `all(name)` gives every value of a repeated parameter. */
export function listQueryParam(all: (name: string) => string[] | undefined, sortable = true): ParsedListQuery {
  const one = (name: string) => all(name)?.[0];
  const page = pageParam(one('page'));
  if (page === undefined) return { ok: false, error: 'The page number must be a whole number from 1.' };
  const sort = one('sort') || undefined;
  if (sort !== undefined && (!sortable || !SORTS.includes(sort as ListingSort))) {
    return { ok: false, error: sortable ? 'The order must be trending, upvotes or newest.' : 'This list has a fixed order.' };
  }
  const query: ListQuery & { page: number } = { page, sort: sort as ListingSort | undefined };
  for (const [key, pattern, what] of [
    ['cat', CATEGORY, 'category'],
    ['notcat', CATEGORY, 'category'],
    ['org', SLUG, 'organization'],
    ['notorg', SLUG, 'organization'],
  ] as const) {
    // An empty value is what a form's "any" option sends: it means no filter.
    const values = [...new Set((all(key) ?? []).filter((v) => v !== ''))];
    if (values.length > MAX_VALUES) return { ok: false, error: `At most ${MAX_VALUES} ${what} filters at once.` };
    const bad = values.find((v) => !pattern.test(v));
    if (bad !== undefined) return { ok: false, error: `“${bad.slice(0, 40)}” is not a ${what} name.` };
    if (values.length) query[key] = values;
  }
  return { ok: true, query };
}

/** The listing filter a list query describes. */
export function listFilter(q: ListQuery) {
  return { categories: q.cat, notCategories: q.notcat, organizations: q.org, notOrganizations: q.notorg };
}
