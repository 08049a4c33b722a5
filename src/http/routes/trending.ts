/** GET /trending (and /api/trending): the whole store by hotness, with the daily pages' filters. */
import { createRoute, z } from '@hono/zod-openapi';
import { isNew, trendingListing } from '../../listings/listings.service.ts';
import { apiPastLastPage, apiRouter, errors, json, pageOf } from '../api/openapi.ts';
import { Facets, PageFields, PaperJson } from '../api/schemas.ts';
import type { AppDeps } from '../app.ts';
import { pastLastPage } from '../errors.ts';
import { pageJson, paperJson } from '../json.ts';
import { trendingPage } from '../pages/trending.tsx';
import { titlesHaveMath } from '../pages/markup.ts';
import { FixedOrderListQuery } from '../params.ts';
import { readerListFilter } from '../reader-filter.ts';
import type { Context } from 'hono';
import { PAGE_SIZE, trendingUrl, type ListQuery } from '../urls.ts';
import { allowMathStyles } from '../security.ts';

const trending = createRoute({
  method: 'get',
  path: '/trending',
  tags: ['lists'],
  summary: 'Every paper by hotness (upvotes and recency)',
  request: { query: FixedOrderListQuery },
  responses: {
    200: json(z.object({ ...PageFields, facets: Facets, papers: z.array(PaperJson) }), 'One page of the hottest papers.'),
    ...errors(400, 404),
  },
});

/** Routes of the trending list; `format` picks the HTML page or its JSON twin. */
export function trendingRoutes({ db, config, now = () => new Date() }: AppDeps, format: 'html' | 'json') {
  const fresh = (paper: { announcedOn: string | null }) => isNew(paper, now());
  const load = (c: Context, query: ListQuery & { page: number }) => trendingListing(db, { sort: 'trending', filter: readerListFilter(c, query), page: query.page, perPage: PAGE_SIZE });

  if (format === 'html') {
    return apiRouter().openapi(pageOf(trending), async (c) => {
      const query = c.req.valid('query');
      const listing = await load(c, query);
      if (query.page > listing.pageCount) return pastLastPage(c, query.page, listing.pageCount, (page) => trendingUrl({ ...query, page }));
      if (titlesHaveMath(listing.papers)) allowMathStyles(c);
      return c.html(trendingPage({ listing, query, isNew: fresh }));
    });
  }
  return apiRouter().openapi(trending, async (c) => {
    const query = c.req.valid('query');
    const listing = await load(c, query);
    const href = (page: number) => `/api${trendingUrl({ ...query, page })}`;
    if (query.page > listing.pageCount) return apiPastLastPage(c, query.page, listing.pageCount, href);
    return c.json(
      {
        ...pageJson(config, listing, PAGE_SIZE, href),
        facets: { categories: listing.categories, organizations: listing.organizations },
        papers: listing.papers.map((p) => paperJson(config, p, fresh)),
      },
      200,
    );
  });
}
