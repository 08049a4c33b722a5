/**
 * GET /api/search?q=&mode=&limit=&offset=&cat=&org=&author=&since=&until= — search as JSON — and
 * GET /api/papers/{ref}/similar?limit= — a paper's nearest neighbours. Mounted at /api, ahead of the
 * list routes. The list pages' parameters are understood too: page, from/to, notcat/notorg.
 */
import { Hono } from 'hono';
import type { Paper } from '../../papers/paper.ts';
import { isFiltered } from '../../filter/paper-filter.ts';
import { search } from '../../search/search.service.ts';
import { findSimilar } from '../../search/similar.ts';
import type { AppDeps } from '../app.ts';
import { errorResponse } from '../errors.ts';
import { absoluteUrl } from '../json.ts';
import { findPaper } from '../papers.queries.ts';
import { dayRangeParam, listFilter, listQueryParam, modeParam, searchSortParam } from '../params.ts';
import { paperUrl, parsePaperRef } from '../urls.ts';

const MAX_QUERY = 1000;

/** A whole number in [min, max], the default when absent; undefined when malformed. */
function intParam(raw: string | undefined, fallback: number, min: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  return /^\d+$/.test(raw) && n >= min && n <= max ? n : undefined;
}

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

  return new Hono()
    .get('/search', async (c) => {
      const q = (c.req.query('q') ?? '').trim().slice(0, MAX_QUERY);
      const chosen = modeParam(c.req.query('mode'));
      if (!chosen.ok) return errorResponse(c, 400, chosen.error);
      const mode = chosen.mode;
      const limit = intParam(c.req.query('limit'), 10, 1, 100);
      const page = intParam(c.req.query('page'), 1, 1, 1000);
      const offset = intParam(c.req.query('offset'), ((page ?? 1) - 1) * (limit ?? 10), 0, 100_000);
      if (limit === undefined || offset === undefined || page === undefined) return errorResponse(c, 400, 'limit must be 1–100, page 1–1000 and offset 0–100000.');
      const days = dayRangeParam((name) => c.req.query(name));
      if (!days.ok) return errorResponse(c, 400, days.error);
      // The list pages' filter parameters, with the same meaning and limits (page, sort are the search's own).
      const parsed = listQueryParam((name) => (name === 'page' || name === 'sort' ? undefined : c.req.queries(name)), false);
      if (!parsed.ok) return errorResponse(c, 400, parsed.error);
      const sort = searchSortParam(c.req.query('sort'));
      if (!sort.ok) return errorResponse(c, 400, sort.error);
      const literal = c.req.query('literal') === '1';
      const filters = { ...listFilter(parsed.query), since: days.since, until: days.until };
      const response = await search(db, { query: q, mode, limit, offset, filters, sort: sort.sort, literal }, searchDeps);
      if (!q && response.results.length === 0 && !isFiltered(filters)) {
        return errorResponse(c, 400, 'Give a query: /api/search?q=words');
      }
      return c.json({
        query: q,
        mode: response.mode,
        requestedMode: mode,
        limit,
        offset,
        sort: sort.sort,
        total: response.total ?? null,
        totalAtLeast: response.totalAtLeast ?? false,
        // Set when no paper has the words (or none is close enough): the results are the closest ones.
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
      });
    })
    .get('/papers/:ref{.+}/similar', async (c) => {
      const ref = parsePaperRef(c.req.param('ref'));
      const paper = ref && (await findPaper(db, ref));
      if (!paper) return c.notFound();
      const limit = intParam(c.req.query('limit'), 10, 1, 50);
      if (limit === undefined) return errorResponse(c, 400, 'limit must be 1–50.');
      const similar = await findSimilar(db, paper.id, limit, searchDeps);
      return c.json({
        paper: { id: paper.arxivId ?? String(paper.id), title: paper.title, url: absoluteUrl(config, paperUrl(paper)) },
        results: similar.map((s) => ({ ...brief(s.paper), score: s.score, via: s.via })),
      });
    });
}
