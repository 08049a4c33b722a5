/** GET /search?q=: the search page, with date, category and organization filters (its JSON twin is search-api.ts). */
import { Hono } from 'hono';
import { isNew, searchListing } from '../../listings/listings.service.ts';
import { isDay } from '../../listings/period.ts';
import type { AppDeps } from '../app.ts';
import { errorResponse } from '../errors.ts';
import { searchPage } from '../pages/search.tsx';
import { listFilter, listQueryParam } from '../params.ts';
import { PAGE_SIZE, type SearchQuery } from '../urls.ts';

const MAX_QUERY = 500;

/** Routes of the search page; `format` picks the HTML page or its JSON twin. */
export function searchRoutes({ db, now = () => new Date() }: AppDeps, format: 'html' | 'json') {
  const fresh = (paper: { announcedOn: string | null }) => isNew(paper, now());
  // /api/search belongs to the search API (search-api.ts, mounted first); this module answers the page.
  if (format === 'json') return new Hono();
  return new Hono().get('/search', async (c) => {
    const parsed = listQueryParam((name) => c.req.queries(name), false);
    if (!parsed.ok) return errorResponse(c, 400, parsed.error);
    const query = parsed.query;
    const search: SearchQuery = { q: (c.req.query('q') ?? '').trim().slice(0, MAX_QUERY), from: c.req.query('from') || undefined, to: c.req.query('to') || undefined };
    if ((search.from && !isDay(search.from)) || (search.to && !isDay(search.to))) return errorResponse(c, 400, 'Dates must be days like 2026-11-20.');
    const results = search.q
      ? await searchListing(db, search.q, { filter: listFilter(query), from: search.from, to: search.to, page: query.page, perPage: PAGE_SIZE })
      : undefined;
    if (results && query.page > 1 && results.papers.length === 0) return c.notFound();
    return c.html(searchPage({ search, query, results, isNew: fresh }));
  });
}
