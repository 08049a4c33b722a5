/**
 * GET /api/search?q=&mode=&limit=&offset=&cat=&org=&author=&since=&until= — search as JSON — and
 * GET /api/papers/{ref}/similar?limit= — a paper's nearest neighbours. Mounted at /api, ahead of the
 * list routes. The list pages' parameters are understood too: page, from/to, notcat/notorg.
 */
import { Hono } from 'hono';
import type { Paper } from '../../papers/paper.ts';
import { dateBound, hasFilters, type SearchFilters, type SearchMode } from '../../search/query.ts';
import { search } from '../../search/search.service.ts';
import { findSimilar } from '../../search/similar.ts';
import type { AppDeps } from '../app.ts';
import { errorResponse } from '../errors.ts';
import { absoluteUrl } from '../json.ts';
import { findPaper } from '../papers.queries.ts';
import { paperUrl, parsePaperRef } from '../urls.ts';

const MODES: SearchMode[] = ['keyword', 'semantic', 'hybrid'];
const MAX_QUERY = 1000;

/** A whole number in [min, max], the default when absent; undefined when malformed. */
function intParam(raw: string | undefined, fallback: number, min: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  return /^\d+$/.test(raw) && n >= min && n <= max ? n : undefined;
}

/** Routes of the search API. */
export function searchApiRoutes({ db, config }: AppDeps) {
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
      const mode = (c.req.query('mode') || 'hybrid') as SearchMode;
      if (!MODES.includes(mode)) return errorResponse(c, 400, `mode must be one of ${MODES.join(', ')}.`);
      const limit = intParam(c.req.query('limit'), 10, 1, 100);
      const page = intParam(c.req.query('page'), 1, 1, 1000);
      const offset = intParam(c.req.query('offset'), ((page ?? 1) - 1) * (limit ?? 10), 0, 100_000);
      if (limit === undefined || offset === undefined || page === undefined) return errorResponse(c, 400, 'limit must be 1–100, page 1–1000 and offset 0–100000.');
      // since/until, or the list pages' from/to.
      const rawSince = c.req.query('since') || c.req.query('from');
      const rawUntil = c.req.query('until') || c.req.query('to');
      const since = rawSince ? dateBound(rawSince, 'start') : undefined;
      const until = rawUntil ? dateBound(rawUntil, 'end') : undefined;
      if ((rawSince && !since) || (rawUntil && !until)) return errorResponse(c, 400, 'since and until are dates: YYYY, YYYY-MM or YYYY-MM-DD.');
      const list = (name: string) => (c.req.queries(name) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
      const filters: SearchFilters = {
        categories: list('cat'),
        excludeCategories: list('notcat'),
        organizations: list('org'),
        excludeOrganizations: list('notorg'),
        authors: list('author'),
        since,
        until,
      };
      const response = await search(db, { query: q, mode, limit, offset, filters });
      if (!q && response.results.length === 0 && !hasFilters(filters)) {
        return errorResponse(c, 400, 'Give a query: /api/search?q=words');
      }
      return c.json({
        query: q,
        mode: response.mode,
        requestedMode: mode,
        limit,
        offset,
        total: response.total ?? null,
        warnings: response.parsedQuery.warnings,
        results: response.results.map((r) => ({
          ...brief(r.paper),
          score: r.score,
          matchedTerms: r.matchedTerms,
          keywordScore: r.keywordScore ?? null,
          vectorScore: r.vectorScore ?? null,
        })),
      });
    })
    .get('/papers/:ref{.+}/similar', async (c) => {
      const ref = parsePaperRef(c.req.param('ref'));
      const paper = ref && (await findPaper(db, ref));
      if (!paper) return c.notFound();
      const limit = intParam(c.req.query('limit'), 10, 1, 50);
      if (limit === undefined) return errorResponse(c, 400, 'limit must be 1–50.');
      const similar = await findSimilar(db, paper.id, limit);
      return c.json({
        paper: { id: paper.arxivId ?? String(paper.id), title: paper.title, url: absoluteUrl(config, paperUrl(paper)) },
        results: similar.map((s) => ({ ...brief(s.paper), score: s.score, via: s.via })),
      });
    });
}
