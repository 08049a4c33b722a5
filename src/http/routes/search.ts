/** GET /search?q=: the search page, with date, category and organization filters (its JSON twin is search-api.ts). */
import { Hono } from 'hono';
import { isNew, searchListing } from '../../listings/listings.service.ts';
import type { AppDeps } from '../app.ts';
import { errorResponse } from '../errors.ts';
import { searchPage } from '../pages/search.tsx';
import { dayRangeParam, listFilter, listQueryParam, modeParam } from '../params.ts';
import { PAGE_SIZE, type SearchQuery } from '../urls.ts';

const MAX_QUERY = 500;

/** Routes of the search page; `format` picks the HTML page or its JSON twin. */
export function searchRoutes({ db, searchDeps, now = () => new Date() }: AppDeps, format: 'html' | 'json') {
  const fresh = (paper: { announcedOn: string | null }) => isNew(paper, now());
  // /api/search belongs to the search API (search-api.ts, mounted first); this module answers the page.
  if (format === 'json') return new Hono();
  return new Hono().get('/search', async (c) => {
    const parsed = listQueryParam((name) => c.req.queries(name), false);
    if (!parsed.ok) return errorResponse(c, 400, parsed.error);
    const query = parsed.query;
    const days = dayRangeParam((name) => c.req.query(name));
    if (!days.ok) return errorResponse(c, 400, days.error);
    const chosen = modeParam(c.req.query('mode'));
    if (!chosen.ok) return errorResponse(c, 400, chosen.error);
    const mode = c.req.query('mode') ? chosen.mode : undefined;
    const search: SearchQuery = { q: (c.req.query('q') ?? '').trim().slice(0, MAX_QUERY), from: days.since, to: days.until, mode };
    const filter = { ...listFilter(query), since: days.since, until: days.until };
    const results = search.q ? await searchListing(db, search.q, { filter, page: query.page, perPage: PAGE_SIZE, mode }, searchDeps) : undefined;
    if (results && query.page > 1 && results.papers.length === 0) return c.notFound();
    return c.html(searchPage({ search, query, results, isNew: fresh }));
  });
}
