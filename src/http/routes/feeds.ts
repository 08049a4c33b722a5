/** GET /feeds/… — RSS 2.0 or Atom (`?format=atom`) for the daily list, trending, a search or filter, an author, an organization. */
import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { errorResponse } from '../errors.ts';
import { dailyFeedUrl } from '../feed-urls.ts';
import { listFilter, listQueryParam, pageParam } from '../params.ts';
import { paperUrl } from '../urls.ts';
import { authorFeed, dailyFeed, organizationFeed, searchFeed, trendingFeed, type FeedList } from '../../feeds/feeds.service.ts';
import { feedContentType, renderFeed, type FeedFormat, type FeedInfo, type FeedItem } from '../../feeds/feed-xml.ts';
import { isDay } from '../../listings/period.ts';
import { latexToText } from '../../papers/latex-text.ts';
import type { Paper } from '../../papers/paper.ts';
import { communityLine } from '../../community/signals-text.ts';

/** RFC 5005 links between the documents of a paged daily feed; each names its day, so the pages never mix two days. */
function pageLinks(base: string, list: FeedList, format: FeedFormat): FeedInfo['pages'] {
  if (!list.paging || list.paging.pageCount === 1) return undefined;
  const { day, page, pageCount } = list.paging;
  const at = (n: number) => base + dailyFeedUrl(day, format, n);
  return [
    { rel: 'first', href: at(1) },
    ...(page > 1 ? [{ rel: 'previous' as const, href: at(page - 1) }] : []),
    ...(page < pageCount ? [{ rel: 'next' as const, href: at(page + 1) }] : []),
    { rel: 'last', href: at(pageCount) },
  ];
}

/** A paper as a feed entry (collections' feeds use it too, so every feed reads the same). */
export function paperFeedItem(base: string, p: Paper): FeedItem {
  return {
    url: base + paperUrl(p),
    // Feed readers show text: TeX as Unicode ("GSBAKᴷ: top-K"), markup unwrapped.
    title: latexToText(p.title),
    // Votes and the submitter after the abstract: what a card shows, for feed readers.
    summary: [latexToText(p.abstract), communityLine(p)].filter(Boolean).join('\n\n'),
    authors: p.authors.map((a) => a.name),
    categories: p.categories,
    published: p.publishedAt ?? p.announcedOn ?? '1970-01-01',
    updated: p.updatedAt ?? undefined,
  };
}

/** Routes under /feeds. */
export function feedRoutes({ db, config }: AppDeps) {
  const base = config.publicBaseUrl;
  const send = (c: Context, list: FeedList | undefined) => {
    const format = c.req.query('format') ?? 'rss';
    if (format !== 'rss' && format !== 'atom') return errorResponse(c, 400, 'The feed format must be rss or atom.');
    if (!list) return c.notFound();
    const selfUrl = base + c.req.path + (new URL(c.req.url).search || '');
    const info = { title: list.title, description: list.description, selfUrl, siteUrl: base + list.page, pages: pageLinks(base, list, format as FeedFormat) };
    const body = renderFeed(format as FeedFormat, info, list.papers.map((p) => paperFeedItem(base, p)));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'public, max-age=600');
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    return c.body(body, 200, { 'Content-Type': feedContentType(format as FeedFormat) });
  };

  return new Hono()
    .get('/daily.xml', async (c) => {
      const date = c.req.query('date');
      if (date !== undefined && !isDay(date)) return errorResponse(c, 400, 'The date must be a day as YYYY-MM-DD.');
      const page = pageParam(c.req.query('page'));
      if (page === undefined) return errorResponse(c, 400, 'The page number must be a whole number from 1.');
      return send(c, await dailyFeed(db, date, page));
    })
    .get('/trending.xml', async (c) => send(c, await trendingFeed(db)))
    .get('/search.xml', async (c) => {
      const q = c.req.query('q')?.trim().slice(0, 200) || undefined;
      const parsed = listQueryParam((name) => c.req.queries(name), false);
      if (!parsed.ok) return errorResponse(c, 400, parsed.error);
      return send(c, await searchFeed(db, q, listFilter(parsed.query)));
    })
    .get('/authors/:file', async (c) => {
      const id = /^(\d{1,9})\.xml$/.exec(c.req.param('file'))?.[1];
      return id ? send(c, await authorFeed(db, Number(id))) : c.notFound();
    })
    .get('/organizations/:file', async (c) => {
      const slug = /^([A-Za-z0-9][A-Za-z0-9._-]{0,99})\.xml$/.exec(c.req.param('file'))?.[1];
      return slug ? send(c, await organizationFeed(db, slug)) : c.notFound();
    });
}
