/** GET /trending (and /api/trending): the whole store by hotness, with the daily pages' filters. */
import { Hono } from 'hono';
import { isNew, trendingListing } from '../../listings/listings.service.ts';
import type { AppDeps } from '../app.ts';
import { errorResponse, pastLastPage } from '../errors.ts';
import { pageJson, paperJson } from '../json.ts';
import { trendingPage } from '../pages/trending.tsx';
import { titlesHaveMath } from '../pages/markup.ts';
import { listFilter, listQueryParam } from '../params.ts';
import { PAGE_SIZE, trendingUrl } from '../urls.ts';
import { allowMathStyles } from '../security.ts';

/** Routes of the trending list; `format` picks the HTML page or its JSON twin. */
export function trendingRoutes({ db, config, now = () => new Date() }: AppDeps, format: 'html' | 'json') {
  const fresh = (paper: { announcedOn: string | null }) => isNew(paper, now());
  return new Hono().get('/trending', async (c) => {
    const parsed = listQueryParam((name) => c.req.queries(name), false);
    if (!parsed.ok) return errorResponse(c, 400, parsed.error);
    const query = parsed.query;
    const listing = await trendingListing(db, { sort: 'trending', filter: listFilter(query), page: query.page, perPage: PAGE_SIZE });
    if (query.page > listing.pageCount) return pastLastPage(c, query.page, listing.pageCount, (page) => `${format === 'json' ? '/api' : ''}${trendingUrl({ ...query, page })}`);
    if (format === 'html' && titlesHaveMath(listing.papers)) allowMathStyles(c);
    if (format === 'html') return c.html(trendingPage({ listing, query, isNew: fresh }));
    return c.json({
      ...pageJson(config, listing, PAGE_SIZE, (page) => `/api${trendingUrl({ ...query, page })}`),
      facets: { categories: listing.categories, organizations: listing.organizations },
      papers: listing.papers.map((p) => paperJson(config, p, fresh)),
    });
  });
}
