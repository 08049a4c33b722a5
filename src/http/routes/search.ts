/** GET /search?q=: the search page, with its mode, order, date, category and organization controls (its JSON twin is search-api.ts). */
import { Hono } from 'hono';
import { isNew, searchFacets, searchListing } from '../../listings/listings.service.ts';
import type { AppDeps } from '../app.ts';
import { errorResponse, pastLastPage } from '../errors.ts';
import { searchPage } from '../pages/search.tsx';
import { titlesHaveMath } from '../pages/markup.ts';
import { searchPageParams } from '../params.ts';
import { readerListFilter } from '../reader-filter.ts';
import { PAGE_SIZE, searchUrl } from '../urls.ts';
import { allowMathStyles } from '../security.ts';

/** Routes of the search page; `format` picks the HTML page or its JSON twin. */
export function searchRoutes({ db, searchDeps, now = () => new Date() }: AppDeps, format: 'html' | 'json') {
  const fresh = (paper: { announcedOn: string | null }) => isNew(paper, now());
  // /api/search belongs to the search API (search-api.ts, mounted first); this module answers the page.
  if (format === 'json') return new Hono();
  return new Hono().get('/search', async (c) => {
    const parsed = searchPageParams((name) => c.req.queries(name));
    if (!parsed.ok) return errorResponse(c, 400, parsed.error);
    const { search, query } = parsed;
    const filter = { ...readerListFilter(c, query), since: search.from, until: search.to };
    const options = { filter, page: query.page, perPage: PAGE_SIZE, mode: search.mode, sort: search.sort, literal: search.literal };
    const [results, facets] = await Promise.all([search.q ? searchListing(db, search.q, options, searchDeps) : undefined, searchFacets(db, filter)]);
    if (results && query.page > 1 && results.papers.length === 0) {
      return pastLastPage(c, query.page, results.pageCountKnown ? results.pageCount : undefined, (page) => searchUrl(search, { ...query, page }));
    }
    if (titlesHaveMath(results?.papers ?? [])) allowMathStyles(c);
    return c.html(searchPage({ search, query, results, facets, isNew: fresh }));
  });
}
