/**
 * GET /api/search?q=&mode=&limit=&offset=&cat=&org=&author=&since=&until= — search as JSON — and
 * GET /api/papers/{ref}/similar?limit= — a paper's nearest neighbours. Mounted at /api, ahead of the
 * list routes. The list pages' parameters are understood too: page, from/to, notcat/notorg.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Paper } from '../../papers/paper.ts';
import { isFiltered } from '../../filter/paper-filter.ts';
import { search } from '../../search/search.service.ts';
import { findSimilar } from '../../search/similar.ts';
import { apiError, apiRouter, errors, json, PaperRefParams, REF } from '../api/openapi.ts';
import type { AppDeps } from '../app.ts';
import { absoluteUrl } from '../json.ts';
import { findPaper } from '../papers.queries.ts';
import { FilterFields, firstOrAbsent, firstValue, HideField } from '../params.ts';
import { readerListFilter } from '../reader-filter.ts';
import { dateBound } from '../../search/query.ts';
import { paperUrl, parsePaperRef } from '../urls.ts';

const MAX_QUERY = 1000;
const LIMITS = 'limit must be 1–100, page 1–1000 and offset 0–100000.';
const DATES = 'Dates are days like 2026-11-20 (or a month 2026-11, or a year 2026).';

/** A whole-number parameter in [min, max] (absent or empty: none); `message` when it is anything else. */
const whole = (min: number, max: number, message: string, description: string, fallback?: number) =>
  z
    .preprocess(firstOrAbsent, z.string().regex(/^\d+$/, message).refine((s) => Number(s) >= min && Number(s) <= max, message).optional())
    .transform((s) => (s === undefined ? undefined : Number(s)))
    .meta({ type: 'integer', minimum: min, maximum: max, ...(fallback !== undefined ? { default: fallback } : {}), description });

/** `since`/`until` (or the pages' `from`/`to`): `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as the query language's `since:`. */
const day = (edge: 'start' | 'end', description: string) =>
  z.preprocess(firstOrAbsent, z.string().max(10, DATES).refine((s) => dateBound(s, edge) !== undefined, DATES).optional()).meta({ description, example: edge === 'start' ? '2026-11' : '2026-11-20' });

/** The search API's query string. */
export const SearchApiQuery = z
  .object({
    q: z
      .preprocess(firstValue, z.string().optional())
      .transform((s) => (s ?? '').trim().slice(0, MAX_QUERY))
      .meta({ description: 'The query: words, "phrases", -excluded, and operators (cat:, org:, author:, title:, abstract:, since:, until:). Cut at 1,000 characters.', example: 'diffusion -survey' }),
    mode: z.preprocess(firstOrAbsent, z.enum(['keyword', 'semantic', 'hybrid'], { error: 'mode must be one of keyword, semantic, hybrid.' }).default('hybrid')),
    limit: whole(1, 100, LIMITS, 'Results per request.', 10),
    page: whole(1, 1000, LIMITS, 'A page of `limit` results (when no offset is given).', 1),
    offset: whole(0, 100_000, LIMITS, 'Results to skip (default: (page − 1) × limit).'),
    since: day('start', 'Listed on or after this day, month or year.'),
    until: day('end', 'Listed on or before this day, month or year.'),
    from: day('start', 'Same as since (the search page’s name).'),
    to: day('end', 'Same as until.'),
    ...FilterFields,
    hide: HideField,
    sort: z.preprocess(firstOrAbsent, z.enum(['relevance', 'newest', 'upvotes'], { error: 'The order of a search must be relevance, newest or upvotes.' }).default('relevance')),
    literal: z
      .preprocess(firstValue, z.string().optional())
      .transform((s) => s === '1')
      .meta({ type: 'string', enum: ['1'], description: '1: search the words as written (no spelling suggestion applied).' }),
  })
  .transform(({ since, until, from, to, limit = 10, page = 1, offset, ...rest }) => ({
    ...rest,
    limit,
    offset: offset ?? (page - 1) * limit,
    since: since || from ? dateBound((since || from)!, 'start') : undefined,
    until: until || to ? dateBound((until || to)!, 'end') : undefined,
  }));

/** A search result's paper, in brief. */
const PaperBrief = {
  id: z.string().meta({ description: 'The arXiv id, or the numeric id as text.' }),
  title: z.string(),
  authors: z.array(z.string()),
  categories: z.array(z.string()),
  organization: z.string().nullable(),
  date: z.string().nullable().meta({ description: 'The listing day.' }),
  abstract: z.string(),
  url: z.string(),
  absUrl: z.string().nullable(),
  pdfUrl: z.string().nullable(),
};

const SearchJson = z.object({
  query: z.string(),
  mode: z.enum(['keyword', 'semantic', 'hybrid']).meta({ description: 'The mode used: keyword when no vectors were available.' }),
  requestedMode: z.enum(['keyword', 'semantic', 'hybrid']),
  limit: z.number().int(),
  offset: z.number().int(),
  sort: z.enum(['relevance', 'newest', 'upvotes']),
  total: z.number().int().nullable(),
  totalAtLeast: z.boolean().meta({ description: 'More papers match than were counted: total is a lower bound.' }),
  closest: z.boolean().meta({ description: 'No paper has the words (or none is close enough): the results are the closest ones.' }),
  suggestion: z.object({ query: z.string(), applied: z.boolean() }).nullable(),
  warnings: z.array(z.string()),
  results: z.array(
    z.object({ ...PaperBrief, score: z.number(), matchedTerms: z.array(z.string()), keywordScore: z.number().nullable(), vectorScore: z.number().nullable(), related: z.boolean() }),
  ),
});

const searchRoute = createRoute({
  method: 'get',
  path: '/search',
  tags: ['search'],
  summary: 'Search papers by keyword, meaning or both',
  description: 'A query, filters, or both (filters alone list the newest matching papers).',
  request: { query: SearchApiQuery },
  responses: { 200: json(SearchJson, 'Ranked results and how they were found.'), ...errors(400) },
});

const similarRoute = createRoute({
  method: 'get',
  path: `/papers/${REF}/similar`,
  tags: ['search'],
  summary: 'The papers most like one paper',
  request: { params: PaperRefParams, query: z.object({ limit: whole(1, 50, 'limit must be 1–50.', 'How many.', 10) }) },
  responses: {
    200: json(
      z.object({
        paper: z.object({ id: z.string(), title: z.string(), url: z.string() }),
        results: z.array(z.object({ ...PaperBrief, score: z.number(), via: z.enum(['vector', 'keyword']) })),
      }),
      'Nearest neighbours, best first.',
    ),
    ...errors(400, 404),
  },
});

/** Routes of the search API. */
export function searchApiRoutes({ db, config, searchDeps }: AppDeps) {
  const brief = (paper: Paper) => ({
    id: paper.arxivId ?? String(paper.id),
    title: paper.title,
    authors: paper.authors.map((a) => a.name),
    categories: paper.categories,
    organization: paper.organization?.name ?? null,
    date: paper.announcedOn,
    abstract: paper.abstract,
    url: absoluteUrl(config, paperUrl(paper)),
    absUrl: paper.links.abs,
    pdfUrl: paper.links.pdf,
  });

  return apiRouter()
    .openapi(searchRoute, async (c) => {
      const { q, mode, limit, offset, since, until, sort, literal, ...list } = c.req.valid('query');
      const filters = { ...readerListFilter(c, list), since, until };
      const response = await search(db, { query: q, mode, limit, offset, filters, sort, literal }, searchDeps);
      if (!q && response.results.length === 0 && !isFiltered(filters)) return apiError(c, 400, 'Give a query: /api/search?q=words');
      return c.json(
        {
          query: q,
          mode: response.mode,
          requestedMode: mode,
          limit,
          offset,
          sort,
          total: response.total ?? null,
          totalAtLeast: response.totalAtLeast ?? false,
          closest: response.closest ?? false,
          suggestion: response.suggestion ?? null,
          warnings: response.parsedQuery.warnings,
          results: response.results.map((r) => ({
            ...brief(r.paper),
            score: r.score,
            matchedTerms: r.matchedTerms,
            keywordScore: r.keywordScore ?? null,
            vectorScore: r.vectorScore ?? null,
            related: r.related ?? false,
          })),
        },
        200,
      );
    })
    .openapi(similarRoute, async (c) => {
      const ref = parsePaperRef(c.req.valid('param').ref);
      const paper = ref && (await findPaper(db, ref));
      if (!paper) return apiError(c, 404);
      const similar = await findSimilar(db, paper.id, c.req.valid('query').limit ?? 10, searchDeps);
      return c.json(
        {
          paper: { id: paper.arxivId ?? String(paper.id), title: paper.title, url: absoluteUrl(config, paperUrl(paper)) },
          results: similar.map((s) => ({ ...brief(s.paper), score: s.score, via: s.via })),
        },
        200,
      );
    });
}
