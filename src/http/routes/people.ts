/** GET /authors/:id and /orgs/:slug (and their /api twins): someone's papers, newest first. */
import { type Context, Hono } from 'hono';
import { authorListing, isNew, organizationListing } from '../../listings/listings.service.ts';
import type { AppDeps } from '../app.ts';
import { errorResponse, pastLastPage } from '../errors.ts';
import { absoluteUrl, pageJson, paperJson } from '../json.ts';
import { authorPage, organizationPage } from '../pages/people.tsx';
import { titlesHaveMath } from '../pages/markup.ts';
import { pageParam } from '../params.ts';
import { PAGE_SIZE, authorUrl, orgUrl } from '../urls.ts';
import { allowMathStyles } from '../security.ts';

/** Routes of author and organization pages; `format` picks HTML pages or their JSON twins. */
export function peopleRoutes({ db, config, now = () => new Date() }: AppDeps, format: 'html' | 'json') {
  const fresh = (paper: { announcedOn: string | null }) => isNew(paper, now());
  const api = (path: string) => (format === 'json' ? `/api${path}` : path);
  const page = (c: Context) => pageParam(c.req.query('page'));
  const options = (p: number) => ({ sort: 'newest' as const, page: p, perPage: PAGE_SIZE });

  return new Hono()
    .get('/authors/:id{[0-9]{1,10}}', async (c) => {
      const p = page(c);
      if (p === undefined) return errorResponse(c, 400, 'The page number must be a whole number from 1.');
      const id = Number(c.req.param('id'));
      const view = id <= 2 ** 31 - 1 ? await authorListing(db, id, options(p)) : undefined;
      if (!view) return c.notFound();
      if (p > view.pageCount) return pastLastPage(c, p, view.pageCount, (n) => api(authorUrl(view.author, n)));
      if (format === 'html' && titlesHaveMath(view.papers)) allowMathStyles(c);
      if (format === 'html') return c.html(authorPage({ ...view, isNew: fresh }));
      return c.json({
        author: { ...view.author, url: absoluteUrl(config, authorUrl(view.author)) },
        coauthors: view.coauthors.map((a) => ({ ...a, url: absoluteUrl(config, authorUrl(a)) })),
        ...pageJson(config, view, PAGE_SIZE, (n) => api(authorUrl(view.author, n))),
        papers: view.papers.map((paper) => paperJson(config, paper, fresh)),
      });
    })
    .get('/orgs/:slug', async (c) => {
      const p = page(c);
      if (p === undefined) return errorResponse(c, 400, 'The page number must be a whole number from 1.');
      const view = await organizationListing(db, c.req.param('slug').slice(0, 200), options(p));
      if (!view) return c.notFound();
      if (p > view.pageCount) return pastLastPage(c, p, view.pageCount, (n) => api(orgUrl(view.organization, n)));
      if (format === 'html' && titlesHaveMath(view.papers)) allowMathStyles(c);
      if (format === 'html') return c.html(organizationPage({ ...view, isNew: fresh }));
      return c.json({
        organization: { ...view.organization, url: absoluteUrl(config, orgUrl(view.organization)) },
        ...pageJson(config, view, PAGE_SIZE, (n) => api(orgUrl(view.organization, n))),
        papers: view.papers.map((paper) => paperJson(config, paper, fresh)),
      });
    });
}
