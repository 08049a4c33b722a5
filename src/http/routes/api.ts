/** GET /api/papers and /api/papers/{ref} — the paper pages' data as JSON. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Paper } from '../../papers/paper.ts';
import { apiError, apiRouter, errors, json, PaperRefParams, REF } from '../api/openapi.ts';
import { PageFields, PaperJson } from '../api/schemas.ts';
import type { AppDeps } from '../app.ts';
import { PageQuery } from '../params.ts';
import { findPaper, newestPage } from '../papers.queries.ts';
import { PAGE_SIZE, paperUrl, papersApiUrl, parsePaperRef } from '../urls.ts';

/** A paper as the API returns it: every stored field plus the absolute URL of its page. */
export type PaperJson = Paper & { url: string };

const newest = createRoute({
  method: 'get',
  path: '/papers',
  tags: ['papers'],
  summary: 'The newest papers, a page at a time',
  request: { query: PageQuery },
  responses: {
    200: json(z.object({ ...PageFields, total: z.number().int(), papers: z.array(PaperJson) }), 'One page of the newest papers.'),
    ...errors(400, 404),
  },
});

const paper = createRoute({
  method: 'get',
  path: `/papers/${REF}`,
  tags: ['papers'],
  summary: 'One paper, by arXiv id (any version or spelling) or numeric id',
  description: 'No redirect: any spelling answers with the data, and `url` names the canonical page.',
  request: { params: PaperRefParams },
  responses: { 200: json(PaperJson, 'The paper.'), ...errors(404) },
});

/** Routes of the JSON API, mounted at /api. `{ref}` takes no suffix, so `/papers/{ref}/…` routes elsewhere may be mounted in any order. */
export function apiRoutes({ db, config }: AppDeps) {
  const absolute = (path: string) => `${config.publicBaseUrl}${path}`;
  const toJson = (paper: Paper): PaperJson => ({ ...paper, url: absolute(paperUrl(paper)) });

  return apiRouter()
    .openapi(newest, async (c) => {
      const { page } = c.req.valid('query');
      const view = await newestPage(db, page);
      if (page > view.pageCount) return apiError(c, 404);
      return c.json(
        {
          page,
          pageCount: view.pageCount,
          perPage: PAGE_SIZE,
          total: view.counts.papers,
          prev: page > 1 ? absolute(papersApiUrl(page - 1)) : null,
          next: page < view.pageCount ? absolute(papersApiUrl(page + 1)) : null,
          papers: view.papers.map(toJson),
        },
        200,
      );
    })
    .openapi(paper, async (c) => {
      const ref = parsePaperRef(c.req.valid('param').ref);
      const found = ref && (await findPaper(db, ref));
      if (!found) return apiError(c, 404);
      return c.json(toJson(found), 200);
    });
}
