/** GET /search?q= (and /api/search): keyword search with date, category and organization filters. */
import { Hono } from 'hono';
import { isNew, searchListing } from '../../listings/listings.service.ts';
import { isDay } from '../../listings/period.ts';
import { queryTerms } from '../../search/keyword-index.ts';
import type { AppDeps } from '../app.ts';
import { errorResponse } from '../errors.ts';
import { pageJson, paperJson } from '../json.ts';
import { searchPage } from '../pages/search.tsx';
import { listFilter, listQueryParam } from '../params.ts';
import { PAGE_SIZE, type SearchQuery, searchUrl } from '../urls.ts';

const MAX_QUERY = 500;

/** Routes of the search page; `format` picks the HTML page or its JSON twin. */
export function searchRoutes({ db, config, now = () => new Date() }: AppDeps, format: 'html' | 'json') {
  const fresh = (paper: { announcedOn: string | null }) => isNew(paper, now());
  return new Hono().get('/search', async (c) => {
    const parsed = listQueryParam((name) => c.req.queries(name), false);
    if (!parsed.ok) return errorResponse(c, 400, parsed.error);
    const query = parsed.query;
    const search: SearchQuery = { q: (c.req.query('q') ?? '').trim().slice(0, MAX_QUERY), from: c.req.query('from') || undefined, to: c.req.query('to') || undefined };
    if ((search.from && !isDay(search.from)) || (search.to && !isDay(search.to))) return errorResponse(c, 400, 'Dates must be days like 2026-11-20.');
    const terms = queryTerms(search.q);
    const results = terms.length
      ? await searchListing(db, search.q, { filter: listFilter(query), from: search.from, to: search.to, page: query.page, perPage: PAGE_SIZE })
      : undefined;
    if (results && query.page > results.pageCount) return c.notFound();
    if (format === 'html') return c.html(searchPage({ search, query, terms, results, isNew: fresh }));
    if (!results) return errorResponse(c, 400, 'Give a query: /api/search?q=words');
    return c.json({
      query: search,
      ...pageJson(config, results, PAGE_SIZE, (page) => searchUrl(search, { ...query, page }, true)),
      capped: results.capped,
      facets: { categories: results.categories, organizations: results.organizations },
      papers: results.papers.map((p) => paperJson(config, p, fresh)),
    });
  });
}
