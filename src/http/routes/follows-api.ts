/**
 * Follows, the Following list and submissions as JSON (mounted at /api): POST|DELETE /follows
 * {"author"|"organization"|"category": …}, GET /follows, GET /following (the Following page's twin, with the
 * list filters and `hide=read`), POST /submissions {"arxiv": "2401.01234"}.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { FollowBody, SubmissionBody } from '../../community/community.schemas.ts';
import { follow, followingListing, followsOf, type FollowView, unfollow } from '../../community/follows.service.ts';
import { submitPaper } from '../../community/submissions.service.ts';
import { isNew } from '../../listings/listings.service.ts';
import { apiError, apiPastLastPage, apiRouter, errors, json, SIGNED_IN } from '../api/openapi.ts';
import { PageFields, PaperJson } from '../api/schemas.ts';
import type { AppDeps } from '../app.ts';
import { requireUser } from '../auth.ts';
import { sharedPagesUnchanged } from '../cache.ts';
import { followingUrl } from '../community-urls.ts';
import { absoluteUrl, pageJson, paperJson } from '../json.ts';
import { FixedOrderListQuery } from '../params.ts';
import { readerListFilter } from '../reader-filter.ts';
import { authorUrl, orgUrl, PAGE_SIZE, paperUrl, trendingUrl } from '../urls.ts';
import { submissionResult, submitterLookup } from './submissions-shared.ts';

const FollowJson = z
  .object({
    kind: z.enum(['author', 'organization', 'category']),
    id: z.number().int().optional().meta({ description: 'The author’s id.' }),
    slug: z.string().optional().meta({ description: 'The organization’s slug.' }),
    name: z.string().optional().meta({ description: 'The author’s or organization’s name.' }),
    category: z.string().optional().meta({ description: 'The category or archive.' }),
    url: z.string().meta({ description: 'Its page (a category’s: trending filtered by it).' }),
  })
  .openapi('Follow');

const FollowResult = z.object({ following: z.boolean(), follow: FollowJson }).openapi('FollowResult');

const SubmissionJson = z
  .object({
    paper: z.object({ id: z.number().int(), arxivId: z.string(), url: z.string() }),
    added: z.boolean().meta({ description: 'Fetched from arXiv and stored now (201); false when the store had it (200).' }),
    marked: z.boolean().meta({ description: 'This submission made the paper’s mark; false when someone submitted it first.' }),
    submission: z.object({ by: z.string(), on: z.string().meta({ description: 'YYYY-MM-DD (UTC).' }) }),
  })
  .openapi('Submission');

const followBody = { body: { required: true, content: { 'application/json': { schema: FollowBody } } } };
const followRoute = (method: 'post' | 'delete', summary: string) =>
  createRoute({
    method,
    path: '/follows',
    tags: ['community'],
    summary,
    security: SIGNED_IN,
    request: followBody,
    responses: { 200: json(FollowResult, 'What the reader follows now.'), ...errors(400, 401, 404) },
  });
const addFollow = followRoute('post', 'Follow an author, organization or category');
const removeFollow = followRoute('delete', 'Stop following an author, organization or category');

const listFollows = createRoute({
  method: 'get',
  path: '/follows',
  tags: ['community'],
  summary: 'What the reader follows',
  security: SIGNED_IN,
  responses: { 200: json(z.object({ follows: z.array(FollowJson) }), 'In the order they were followed.'), ...errors(401) },
});

const following = createRoute({
  method: 'get',
  path: '/following',
  tags: ['community'],
  summary: 'The papers of what the reader follows, newest first',
  security: SIGNED_IN,
  request: { query: FixedOrderListQuery },
  responses: { 200: json(z.object({ ...PageFields, papers: z.array(PaperJson) }), 'One page of papers.'), ...errors(400, 401, 404) },
});

const submit = createRoute({
  method: 'post',
  path: '/submissions',
  tags: ['community'],
  summary: 'Submit an arXiv paper (fetched from arXiv when the store lacks it)',
  security: SIGNED_IN,
  request: { body: { required: true, content: { 'application/json': { schema: SubmissionBody } } } },
  responses: {
    200: json(SubmissionJson, 'The store had the paper: it carries the (first) submission mark.'),
    201: json(SubmissionJson, 'Fetched from arXiv and stored, marked as submitted by the reader.'),
    ...errors(400, 401, 404, 429, 503),
  },
});

/** Routes of follows and submissions, mounted at /api. */
export function followsApiRoutes(deps: AppDeps) {
  const { db, config, now = () => new Date() } = deps;
  const lookup = submitterLookup(deps);
  const followJson = (f: FollowView) => {
    if (f.kind === 'author') return { ...f, url: absoluteUrl(config, authorUrl({ id: f.id })) };
    if (f.kind === 'organization') return { ...f, url: absoluteUrl(config, orgUrl({ slug: f.slug })) };
    return { ...f, url: absoluteUrl(config, trendingUrl({ cat: [f.category] })) };
  };
  const change = async (c: Context, on: boolean, target: z.infer<typeof FollowBody>) => {
    const user = requireUser(c);
    const outcome = on ? await follow(db, user, target) : await unfollow(db, user, target);
    if (outcome.status === 'not-found') return apiError(c, 404, 'There is no such author, organization or category.');
    if (outcome.status === 'too-many') return apiError(c, 400, 'You follow as many things as an account may. Stop following something first.');
    // Private to the reader: no shared page changes.
    sharedPagesUnchanged(c);
    return c.json({ following: on, follow: followJson(outcome.follow) }, 200);
  };

  return apiRouter()
    .openapi(addFollow, (c) => change(c, true, c.req.valid('json')))
    .openapi(removeFollow, (c) => change(c, false, c.req.valid('json')))
    .openapi(listFollows, async (c) => {
      const user = requireUser(c);
      return c.json({ follows: (await followsOf(db, user.id)).map(followJson) }, 200);
    })
    .openapi(following, async (c) => {
      const user = requireUser(c);
      const query = c.req.valid('query');
      const list = await followingListing(db, user.id, { page: query.page, perPage: PAGE_SIZE, filter: readerListFilter(c, query) });
      const href = (page: number) => `/api${followingUrl({ ...query, page })}`;
      if (query.page > list.pageCount) return apiPastLastPage(c, query.page, list.pageCount, href);
      const fresh = (paper: { announcedOn: string | null }) => isNew(paper, now());
      return c.json({ ...pageJson(config, list, PAGE_SIZE, href), papers: list.papers.map((p) => paperJson(config, p, fresh)) }, 200);
    })
    .openapi(submit, async (c) => {
      const user = requireUser(c);
      const { arxiv } = c.req.valid('json');
      const outcome = await submitPaper(db, lookup, user, arxiv, now());
      const result = submissionResult(outcome, arxiv);
      if (outcome.status !== 'ok') {
        if (outcome.status === 'rate-limited') c.header('Retry-After', String(outcome.retryAfterSeconds));
        return apiError(c, result.status as 400 | 404 | 429 | 503, result.error);
      }
      const body = {
        paper: { id: outcome.paperId, arxivId: outcome.arxivId, url: absoluteUrl(config, paperUrl({ id: outcome.paperId, arxivId: outcome.arxivId })) },
        added: outcome.added,
        marked: outcome.marked,
        submission: outcome.submission,
      };
      return outcome.added ? c.json(body, 201) : c.json(body, 200);
    });
}
