/** GET /api/papers and /api/papers/:ref — the paper pages' data as JSON. */
import { Hono } from 'hono';
import type { Paper } from '../../papers/paper.ts';
import type { AppDeps } from '../app.ts';
import { errorResponse } from '../errors.ts';
import { pageParam } from '../params.ts';
import { findPaper, newestPage } from '../papers.queries.ts';
import { PAGE_SIZE, paperUrl, papersApiUrl, parsePaperRef } from '../urls.ts';

/** A paper as the API returns it: every stored field plus the absolute URL of its page. */
export type PaperJson = Paper & { url: string };

/** Routes of the JSON API, mounted at /api. */
export function apiRoutes({ db, config }: AppDeps) {
  const absolute = (path: string) => `${config.publicBaseUrl}${path}`;
  const toJson = (paper: Paper): PaperJson => ({ ...paper, url: absolute(paperUrl(paper)) });

  return new Hono()
    .get('/papers', async (c) => {
      const page = pageParam(c.req.query('page'));
      if (page === undefined) return errorResponse(c, 400, 'The page number must be a whole number from 1.');
      const view = await newestPage(db, page);
      if (page > view.pageCount) return c.notFound();
      return c.json({
        page,
        pageCount: view.pageCount,
        perPage: PAGE_SIZE,
        total: view.counts.papers,
        prev: page > 1 ? absolute(papersApiUrl(page - 1)) : null,
        next: page < view.pageCount ? absolute(papersApiUrl(page + 1)) : null,
        papers: view.papers.map(toJson),
      });
    })
    .get('/papers/:ref{.+}', async (c) => {
      const ref = parsePaperRef(c.req.param('ref'));
      const paper = ref && (await findPaper(db, ref));
      if (!paper) return c.notFound();
      // No redirect here: API clients get the data for any spelling, and `url` names the canonical page.
      return c.json(toJson(paper));
    });
}
