/** GET /authors/:id and /orgs/:slug (and their /api twins): someone's papers, newest first. */
import { createRoute, z } from '@hono/zod-openapi';
import { authorListing, isNew, organizationListing } from '../../listings/listings.service.ts';
import { apiError, apiPastLastPage, apiRouter, errors, json, pageOf } from '../api/openapi.ts';
import { PageFields, PaperJson } from '../api/schemas.ts';
import type { AppDeps } from '../app.ts';
import { pastLastPage } from '../errors.ts';
import { absoluteUrl, pageJson, paperJson } from '../json.ts';
import { authorPage, organizationPage } from '../pages/people.tsx';
import { titlesHaveMath } from '../pages/markup.ts';
import { HideField, PageQuery } from '../params.ts';
import { readerListFilter } from '../reader-filter.ts';
import type { Context } from 'hono';
import { PAGE_SIZE, authorUrl, orgUrl } from '../urls.ts';
import { allowMathStyles } from '../security.ts';

const Named = { id: z.number().int(), name: z.string(), url: z.string() };

/** A page number, and `hide=read` as on every list. */
const PeopleQuery = PageQuery.extend({ hide: HideField });

const author = createRoute({
  method: 'get',
  path: '/authors/{id}',
  tags: ['lists'],
  summary: 'An author’s papers, newest first, with frequent co-authors',
  request: { params: z.object({ id: z.string().regex(/^\d{1,10}$/).meta({ description: 'The author’s numeric id.', example: '42' }) }), query: PeopleQuery },
  responses: {
    200: json(
      z.object({
        author: z.object({ ...Named, paperCount: z.number().int() }),
        coauthors: z.array(z.object({ ...Named, count: z.number().int() })),
        ...PageFields,
        papers: z.array(PaperJson),
      }),
      'One page of the author’s papers.',
    ),
    ...errors(400, 404),
  },
});

const organization = createRoute({
  method: 'get',
  path: '/orgs/{slug}',
  tags: ['lists'],
  summary: 'An organization’s papers, newest first',
  request: { params: z.object({ slug: z.string().max(200).meta({ example: 'google' }) }), query: PeopleQuery },
  responses: {
    200: json(z.object({ organization: z.object({ ...Named, slug: z.string(), paperCount: z.number().int() }), ...PageFields, papers: z.array(PaperJson) }), 'One page of the organization’s papers.'),
    ...errors(400, 404),
  },
});

/** Routes of author and organization pages; `format` picks HTML pages or their JSON twins. */
export function peopleRoutes({ db, config, now = () => new Date() }: AppDeps, format: 'html' | 'json') {
  const fresh = (paper: { announcedOn: string | null }) => isNew(paper, now());
  const options = (c: Context, q: { page: number; hide?: 'read' }) => ({ sort: 'newest' as const, page: q.page, perPage: PAGE_SIZE, filter: readerListFilter(c, { hide: q.hide }) });
  // Ids beyond a 32-bit integer cannot exist, and PostgreSQL would reject them as out of range.
  const authorView = (c: Context, id: string, q: { page: number; hide?: 'read' }) => (Number(id) <= 2 ** 31 - 1 ? authorListing(db, Number(id), options(c, q)) : undefined);
  const organizationView = (c: Context, slug: string, q: { page: number; hide?: 'read' }) => organizationListing(db, slug, options(c, q));

  if (format === 'html') {
    return apiRouter()
      .openapi(pageOf(author), async (c) => {
        const query = c.req.valid('query');
        const { page } = query;
        const view = await authorView(c, c.req.valid('param').id, query);
        if (!view) return c.notFound();
        if (page > view.pageCount) return pastLastPage(c, page, view.pageCount, (n) => authorUrl(view.author, n));
        if (titlesHaveMath(view.papers)) allowMathStyles(c);
        return c.html(authorPage({ ...view, hide: query.hide, isNew: fresh }));
      })
      .openapi(pageOf(organization), async (c) => {
        const query = c.req.valid('query');
        const { page } = query;
        const view = await organizationView(c, c.req.valid('param').slug, query);
        if (!view) return c.notFound();
        if (page > view.pageCount) return pastLastPage(c, page, view.pageCount, (n) => orgUrl(view.organization, n));
        if (titlesHaveMath(view.papers)) allowMathStyles(c);
        return c.html(organizationPage({ ...view, hide: query.hide, isNew: fresh }));
      });
  }
  return apiRouter()
    .openapi(author, async (c) => {
      const query = c.req.valid('query');
        const { page } = query;
      const view = await authorView(c, c.req.valid('param').id, query);
      if (!view) return apiError(c, 404);
      const href = (n: number) => `/api${authorUrl(view.author, n)}`;
      if (page > view.pageCount) return apiPastLastPage(c, page, view.pageCount, href);
      return c.json(
        {
          author: { ...view.author, url: absoluteUrl(config, authorUrl(view.author)) },
          coauthors: view.coauthors.map((a) => ({ ...a, url: absoluteUrl(config, authorUrl(a)) })),
          ...pageJson(config, view, PAGE_SIZE, href),
          papers: view.papers.map((paper) => paperJson(config, paper, fresh)),
        },
        200,
      );
    })
    .openapi(organization, async (c) => {
      const query = c.req.valid('query');
        const { page } = query;
      const view = await organizationView(c, c.req.valid('param').slug, query);
      if (!view) return apiError(c, 404);
      const href = (n: number) => `/api${orgUrl(view.organization, n)}`;
      if (page > view.pageCount) return apiPastLastPage(c, page, view.pageCount, href);
      return c.json(
        {
          organization: { ...view.organization, url: absoluteUrl(config, orgUrl(view.organization)) },
          ...pageJson(config, view, PAGE_SIZE, href),
          papers: view.papers.map((paper) => paperJson(config, paper, fresh)),
        },
        200,
      );
    });
}
