/**
 * Daily Papers: GET / (the newest day), /day/:date, /week/:week, /month/:month, /day?date= (the date
 * picker, which redirects) and /day, /week, /month alone (the newest). Mounted twice: at / answering HTML
 * and at /api answering JSON.
 */
import { type Context, Hono } from 'hono';
import { isNew, latestListingDay, periodListing } from '../../listings/listings.service.ts';
import { type Period, type PeriodKind, parsePeriod, periodKey, periodLabel, periodOf, periodRange } from '../../listings/period.ts';
import type { AppDeps } from '../app.ts';
import { errorResponse, pastLastPage } from '../errors.ts';
import { absoluteUrl, pageJson, paperJson } from '../json.ts';
import { dailyPage } from '../pages/daily.tsx';
import { titlesHaveMath } from '../pages/markup.ts';
import { listFilter, listQueryParam } from '../params.ts';
import { homeUrl, PAGE_SIZE, periodApiUrl, periodUrl } from '../urls.ts';
import { allowMathStyles } from '../security.ts';

/** Routes of the daily pages; `format` picks HTML pages or their JSON twins. */
export function dailyRoutes({ db, config, now = () => new Date() }: AppDeps, format: 'html' | 'json') {
  const fresh = (paper: { announcedOn: string | null }) => isNew(paper, now());

  const show = async (c: Context, period: Period | undefined, home: boolean) => {
    const parsed = listQueryParam((name) => c.req.queries(name));
    if (!parsed.ok) return errorResponse(c, 400, parsed.error);
    const query = parsed.query;
    if (!period) {
      // An empty store: the home page explains how to import; the API says there is no day yet.
      if (format === 'html') return c.html(dailyPage({ listing: emptyListing(), query, home, isNew: fresh }));
      return errorResponse(c, 404, 'This store has no listed papers yet.');
    }
    const listing = await periodListing(db, period, { sort: query.sort ?? 'trending', filter: listFilter(query), page: query.page, perPage: PAGE_SIZE });
    if (query.page > listing.pageCount) return pastLastPage(c, query.page, listing.pageCount, (page) => (format === 'json' ? periodApiUrl : periodUrl)(period, { ...query, page }));
    if (format === 'html' && titlesHaveMath(listing.papers)) allowMathStyles(c);
    if (format === 'html') return c.html(dailyPage({ listing, query, home, isNew: fresh }));
    const api = (q = query) => periodApiUrl(period, q);
    return c.json({
      period: { kind: period.kind, key: periodKey(period), label: periodLabel(period), ...periodRange(period), url: absoluteUrl(config, periodUrl(period)) },
      ...pageJson(config, listing, PAGE_SIZE, (page) => api({ ...query, page })),
      prevPeriod: listing.prev ? absoluteUrl(config, periodApiUrl(listing.prev, { ...query, page: 1 })) : null,
      nextPeriod: listing.next ? absoluteUrl(config, periodApiUrl(listing.next, { ...query, page: 1 })) : null,
      latestDay: listing.latestDay ?? null,
      facets: { categories: listing.categories, organizations: listing.organizations },
      papers: listing.papers.map((p) => paperJson(config, p, fresh)),
    });
  };

  const latest = async (c: Context) => {
    const day = await latestListingDay(db, now());
    return show(c, day ? { kind: 'day', day } : undefined, true);
  };

  const to = (c: Context, target: Period) => c.redirect(format === 'json' ? periodApiUrl(target) : periodUrl(target), 302);

  const routes = new Hono();
  if (format === 'html') routes.get('/', latest);
  for (const kind of ['day', 'week', 'month'] as PeriodKind[]) {
    // The date picker's plain GET form lands here with ?date=; it is sent on to the clean URL.
    routes.get(`/${kind}`, async (c) => {
      const raw = c.req.query('date');
      // An empty field (a browser that ignores `required`) means no date too.
      if (!raw) {
        // No date: the newest day, or its week or month (the JSON newest day answers in place, as it always has).
        if (format === 'json' && kind === 'day') return latest(c);
        const day = await latestListingDay(db, now());
        if (day) return to(c, periodOf(kind, day));
        return format === 'html' ? c.redirect(homeUrl(), 302) : errorResponse(c, 404, 'This store has no listed papers yet.');
      }
      const period = parsePeriod('day', raw);
      if (!period || period.kind !== 'day') return errorResponse(c, 400, 'The date must be a day like 2026-11-20.');
      return to(c, periodOf(kind, period.day));
    });
    routes.get(`/${kind}/:key`, (c) => {
      const period = parsePeriod(kind, c.req.param('key'));
      if (!period) return errorResponse(c, 404, `There is no ${kind} “${c.req.param('key').slice(0, 20)}”. Days look like 2026-11-20, weeks like 2026-W47, months like 2026-11.`);
      return show(c, period, false);
    });
  }
  return routes;
}

function emptyListing() {
  const day = new Date().toISOString().slice(0, 10);
  return { papers: [], total: 0, page: 1, pageCount: 1, period: { kind: 'day' as const, day }, from: day, to: day, categories: [], organizations: [] };
}
