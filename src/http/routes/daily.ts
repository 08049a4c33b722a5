/**
 * Daily Papers: GET / (the newest day), /day/:date, /week/:week, /month/:month, /day?date= (the date
 * picker, which redirects) and /day, /week, /month alone (the newest). Mounted twice: at / answering HTML
 * and at /api answering JSON, each route declared once (below) for both.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { isNew, latestListingDay, periodListing } from '../../listings/listings.service.ts';
import { type Period, type PeriodKind, parsePeriod, periodKey, periodLabel, periodOf, periodRange } from '../../listings/period.ts';
import { apiError, apiPastLastPage, apiRouter, errors, json, pageOf } from '../api/openapi.ts';
import { Facets, PageFields, PaperJson } from '../api/schemas.ts';
import type { AppDeps } from '../app.ts';
import { errorResponse, pastLastPage } from '../errors.ts';
import { absoluteUrl, pageJson, paperJson } from '../json.ts';
import { dailyPage } from '../pages/daily.tsx';
import { titlesHaveMath } from '../pages/markup.ts';
import { compactListQuery, firstOrAbsent, ListQueryObject, ListQuerySchema } from '../params.ts';
import { readerListFilter } from '../reader-filter.ts';
import { periodPicks } from '../../community/picks.service.ts';
import { homeUrl, type ListQuery, PAGE_SIZE, periodApiUrl, periodUrl } from '../urls.ts';
import { allowMathStyles } from '../security.ts';

const KINDS = ['day', 'week', 'month'] as const satisfies readonly PeriodKind[];
const EMPTY_STORE = 'This store has no listed papers yet.';
const DATE = 'The date must be a day like 2026-11-20.';

// An empty field (a browser that ignores `required`) means no date too.
const DateQuery = z.object({
  date: z
    .preprocess(firstOrAbsent, z.string().max(10, DATE).refine((s) => parsePeriod('day', s) !== undefined, DATE).optional())
    .meta({ description: 'A listing day: redirects to the list that holds it (the date picker).', example: '2026-11-20' }),
});

/** One period's list as JSON. */
const PeriodList = z
  .object({
    period: z.object({ kind: z.enum(KINDS), key: z.string(), label: z.string(), from: z.string(), to: z.string(), url: z.string() }),
    ...PageFields,
    prevPeriod: z.string().nullable().meta({ description: 'The previous period with papers (weekends and holidays are skipped).' }),
    nextPeriod: z.string().nullable(),
    latestDay: z.string().nullable(),
    facets: Facets,
    picks: z.array(PaperJson).meta({ description: 'Community picks: papers readers here submitted or upvoted in the period (until the next listing), on page 1.' }),
    papers: z.array(PaperJson),
  })
  .openapi('PeriodList');

const home = createRoute({ method: 'get', path: '/', summary: 'The newest day', request: { query: ListQuerySchema }, responses: {} });

const newestDay = createRoute({
  method: 'get',
  path: '/day',
  tags: ['lists'],
  summary: 'The newest listing day; with ?date=, a redirect to that day',
  request: { query: ListQueryObject.extend(DateQuery.shape).transform(({ date, ...list }) => ({ date, list: compactListQuery(list) })) },
  responses: { 200: json(PeriodList, 'The newest day’s papers.'), 302: { description: 'To the day of ?date=.' }, ...errors(400, 404) },
});

const newest = (kind: PeriodKind) =>
  createRoute({
    method: 'get',
    path: `/${kind}`,
    tags: ['lists'],
    summary: `A redirect to the newest ${kind}, or with ?date= to the ${kind} holding that day`,
    request: { query: DateQuery },
    responses: { 302: { description: `To the ${kind}’s list.` }, ...errors(400, 404) },
  });

const period = (kind: PeriodKind) =>
  createRoute({
    method: 'get',
    path: `/${kind}/{key}`,
    tags: ['lists'],
    summary: { day: 'One listing day’s papers', week: 'One ISO week’s papers', month: 'One month’s papers' }[kind],
    request: {
      params: z.object({ key: z.string().max(100).meta({ description: { day: 'A day, 2026-11-20.', week: 'An ISO week, 2026-W47.', month: 'A month, 2026-11.' }[kind] }) }),
      query: ListQuerySchema,
    },
    responses: { 200: json(PeriodList, 'One page of the period’s papers.'), ...errors(400, 404) },
  });

const noSuchPeriod = (kind: PeriodKind, key: string) => `There is no ${kind} “${key.slice(0, 20)}”. Days look like 2026-11-20, weeks like 2026-W47, months like 2026-11.`;

/** Routes of the daily pages; `format` picks HTML pages or their JSON twins. */
export function dailyRoutes(deps: AppDeps, format: 'html' | 'json') {
  return format === 'html' ? pageRoutes(deps) : jsonRoutes(deps);
}

function lists({ db, now = () => new Date() }: AppDeps) {
  return {
    fresh: (paper: { announcedOn: string | null }) => isNew(paper, now()),
    latest: async (): Promise<Period | undefined> => {
      const day = await latestListingDay(db, now());
      return day ? { kind: 'day', day } : undefined;
    },
    newestOf: async (kind: PeriodKind) => {
      const day = await latestListingDay(db, now());
      return day ? periodOf(kind, day) : undefined;
    },
    load: async (c: Context, period: Period, query: ListQuery & { page: number }) => {
      const filter = readerListFilter(c, query);
      const listing = await periodListing(db, period, { sort: query.sort ?? 'trending', filter, page: query.page, perPage: PAGE_SIZE });
      // The community picks of the period (what readers here submitted or upvoted then), above its first page.
      const picks = query.page === 1 ? await periodPicks(db, listing.from, listing.next && periodRange(listing.next).from, filter) : [];
      return { ...listing, picks };
    },
  };
}

function pageRoutes(deps: AppDeps) {
  const { fresh, latest, newestOf, load } = lists(deps);
  const show = async (c: Context, period: Period | undefined, query: ListQuery & { page: number }, isHome: boolean) => {
    // An empty store: the home page explains how to import.
    if (!period) return c.html(dailyPage({ listing: emptyListing(), query, home: isHome, isNew: fresh }));
    const listing = await load(c, period, query);
    if (query.page > listing.pageCount) return pastLastPage(c, query.page, listing.pageCount, (page) => periodUrl(period, { ...query, page }));
    if (titlesHaveMath(listing.papers)) allowMathStyles(c);
    return c.html(dailyPage({ listing, query, home: isHome, isNew: fresh }));
  };

  const routes = apiRouter().openapi(pageOf(home), async (c) => show(c, await latest(), c.req.valid('query'), true));
  for (const kind of KINDS) {
    // The date picker's plain GET form lands here with ?date=; it is sent on to the clean URL. No date: the newest
    // (on pages /day too redirects; only the JSON newest day answers in place, with the list query).
    routes.openapi(pageOf(newest(kind)), async (c) => {
      const { date } = c.req.valid('query');
      const target = date ? periodOf(kind, date) : await newestOf(kind);
      return c.redirect(target ? periodUrl(target) : homeUrl(), 302);
    });
    routes.openapi(pageOf(period(kind)), async (c) => {
      const { key } = c.req.valid('param');
      const found = parsePeriod(kind, key);
      return found ? show(c, found, c.req.valid('query'), false) : errorResponse(c, 404, noSuchPeriod(kind, key));
    });
  }
  return routes;
}

function jsonRoutes(deps: AppDeps) {
  const { fresh, latest, newestOf, load } = lists(deps);
  const { config } = deps;
  const show = async (c: Context, period: Period | undefined, query: ListQuery & { page: number }) => {
    if (!period) return apiError(c, 404, EMPTY_STORE);
    const listing = await load(c, period, query);
    const api = (q: ListQuery) => periodApiUrl(period, q);
    if (query.page > listing.pageCount) return apiPastLastPage(c, query.page, listing.pageCount, (page) => api({ ...query, page }));
    return c.json(
      {
        period: { kind: period.kind, key: periodKey(period), label: periodLabel(period), ...periodRange(period), url: absoluteUrl(config, periodUrl(period)) },
        ...pageJson(config, listing, PAGE_SIZE, (page) => api({ ...query, page })),
        prevPeriod: listing.prev ? absoluteUrl(config, periodApiUrl(listing.prev, { ...query, page: 1 })) : null,
        nextPeriod: listing.next ? absoluteUrl(config, periodApiUrl(listing.next, { ...query, page: 1 })) : null,
        latestDay: listing.latestDay ?? null,
        facets: { categories: listing.categories, organizations: listing.organizations },
        picks: listing.picks.map((p) => paperJson(config, p, fresh)),
        papers: listing.papers.map((p) => paperJson(config, p, fresh)),
      },
      200,
    );
  };

  // The JSON newest day answers in place, as it always has; the newest week and month redirect.
  const routes = apiRouter().openapi(newestDay, async (c) => {
    const { date, list } = c.req.valid('query');
    return date ? c.redirect(periodApiUrl(periodOf('day', date)), 302) : show(c, await latest(), list);
  });
  routes.openapi(period('day'), async (c) => {
    const { key } = c.req.valid('param');
    const found = parsePeriod('day', key);
    return found ? show(c, found, c.req.valid('query')) : apiError(c, 404, noSuchPeriod('day', key));
  });
  for (const kind of ['week', 'month'] as const) {
    routes.openapi(newest(kind), async (c) => {
      const { date } = c.req.valid('query');
      const target = date ? periodOf(kind, date) : await newestOf(kind);
      return target ? c.redirect(periodApiUrl(target), 302) : apiError(c, 404, EMPTY_STORE);
    });
    routes.openapi(period(kind), async (c) => {
      const { key } = c.req.valid('param');
      const found = parsePeriod(kind, key);
      return found ? show(c, found, c.req.valid('query')) : apiError(c, 404, noSuchPeriod(kind, key));
    });
  }
  return routes;
}

function emptyListing() {
  const day = new Date().toISOString().slice(0, 10);
  return { papers: [], total: 0, page: 1, pageCount: 1, period: { kind: 'day' as const, day }, from: day, to: day, categories: [], organizations: [] };
}
