/** GET / — the newest papers, `?page=N`. */
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { errorResponse } from '../errors.ts';
import { homePage } from '../pages/home.tsx';
import { pageParam } from '../params.ts';
import { newestPage } from '../papers.queries.ts';

/** Routes of the start page. */
export function homeRoutes({ db }: AppDeps) {
  return new Hono().get('/', async (c) => {
    const page = pageParam(c.req.query('page'));
    if (page === undefined) return errorResponse(c, 400, 'The page number must be a whole number from 1.');
    const view = await newestPage(db, page);
    // Past the last page there is nothing to show; page 1 of an empty store is the empty state instead.
    if (page > view.pageCount) return c.notFound();
    return c.html(homePage(view));
  });
}
