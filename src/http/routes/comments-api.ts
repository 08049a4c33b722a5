/**
 * Comments as JSON (mounted at /api): GET|POST /papers/{ref}/comments, PATCH|DELETE /comments/{id}.
 * Reading is open to anyone (comments are public on paper pages); writing needs an account, and only a
 * comment's author may change or delete it — anyone else's comment answers 404, exactly as one that does not
 * exist. Hidden comments (by a moderator, or of a suspended account) and deleted ones keep their place in a
 * thread while they have replies, without their text.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { CommentChange, CommentCreate } from '../../comments/comments.schemas.ts';
import * as comments from '../../comments/comments.service.ts';
import { commentAnchor } from '../../comments/reply-mail.tsx';
import { findPaperKey, type PaperKey } from '../../community/paper-key.repo.ts';
import { apiError, apiRouter, errors, json, PaperRefParams, REF, SIGNED_IN } from '../api/openapi.ts';
import { PageFields } from '../api/schemas.ts';
import type { AppDeps } from '../app.ts';
import { ownedOr404, requireUser } from '../auth.ts';
import { absoluteUrl, pageJson } from '../json.ts';
import { PageQuery } from '../params.ts';
import { paperUrl, parsePaperRef } from '../urls.ts';

/** Comments per page of the JSON list (threads in order, replies right after what they answer). */
export const COMMENTS_API_PAGE = 100;

/** A comment as the API shows it. */
export const CommentJson = z
  .object({
    id: z.number().int(),
    paper: z.object({ id: z.number().int(), arxivId: z.string().nullable(), url: z.string() }),
    parent: z.number().int().nullable().meta({ description: 'The comment this one answers; null for the first of a thread.' }),
    depth: z.number().int().meta({ description: '0 for the first comment of a thread, 1 for a reply to it, …' }),
    author: z.string().nullable().meta({ description: 'The author’s display name (null unless visible).' }),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    state: z.enum(['visible', 'hidden', 'deleted']).meta({ description: '`hidden`: by a moderator (or its author is suspended); `deleted`: by its author. Both without text, shown only while they have replies.' }),
    body: z.string().nullable().meta({ description: 'The Markdown as written (null unless visible).' }),
    html: z.string().nullable().meta({ description: 'The Markdown rendered and sanitized, math typeset by KaTeX (null unless visible).' }),
    url: z.string().meta({ description: 'The comment on its paper’s page.' }),
  })
  .openapi('Comment');

const CommentIdParams = z.object({ id: z.coerce.number().int().min(1).max(2 ** 31 - 1).meta({ description: 'The comment’s numeric id.', example: 12 }) });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

const list = createRoute({
  method: 'get',
  path: `/papers/${REF}/comments`,
  tags: ['comments'],
  summary: 'The comments on a paper: threads oldest first, each reply after what it answers',
  request: { params: PaperRefParams, query: PageQuery },
  responses: { 200: json(z.object({ ...PageFields, comments: z.array(CommentJson) }), 'One page of comments.'), ...errors(400, 404) },
});
const create = createRoute({
  method: 'post',
  path: `/papers/${REF}/comments`,
  tags: ['comments'],
  summary: 'Comment on a paper, or reply to a comment (`parent`); the parent’s author is mailed unless they opted out',
  description: 'Rate limited: five comments a minute and 100 a day per account.',
  security: SIGNED_IN,
  request: { params: PaperRefParams, ...body(CommentCreate) },
  responses: { 201: json(CommentJson, 'The new comment.'), ...errors(400, 401, 404, 429) },
});
const change = createRoute({
  method: 'patch',
  path: '/comments/{id}',
  tags: ['comments'],
  summary: 'Change the text of your comment (it is marked edited)',
  security: SIGNED_IN,
  request: { params: CommentIdParams, ...body(CommentChange) },
  responses: { 200: json(CommentJson, 'The comment as changed.'), ...errors(400, 401, 404, 429) },
});
const remove = createRoute({
  method: 'delete',
  path: '/comments/{id}',
  tags: ['comments'],
  summary: 'Delete your comment (its text goes at once; its replies stay)',
  security: SIGNED_IN,
  request: { params: CommentIdParams },
  responses: { 204: { description: 'Deleted.' }, ...errors(401, 404) },
});

/** A thread's comments in reading order, each with its depth. */
function flatten(list: comments.CommentView[], depth = 0, out: { view: comments.CommentView; depth: number }[] = []) {
  for (const view of list) {
    out.push({ view, depth });
    flatten(view.replies, depth + 1, out);
  }
  return out;
}

/** Routes mounted at /api. */
export function commentsApiRoutes({ db, config }: AppDeps) {
  const paperOf = async (raw: string): Promise<PaperKey | undefined> => {
    const ref = parsePaperRef(raw);
    return ref && findPaperKey(db.kysely, 'id' in ref ? { id: ref.id } : { arxivId: ref.arxivId });
  };
  const toJson = (paper: PaperKey, v: comments.CommentView, depth: number) => {
    const url = absoluteUrl(config, paperUrl(paper));
    return {
      id: v.id,
      paper: { id: paper.id, arxivId: paper.arxivId, url },
      parent: v.parentId,
      depth,
      author: v.state === 'visible' ? v.author.name : null,
      createdAt: v.createdAt,
      editedAt: v.editedAt,
      state: v.state,
      body: v.body ?? null,
      html: v.html ?? null,
      url: `${url}#${commentAnchor(v.id)}`,
    };
  };
  /** One comment as JSON, with its depth in the thread (counted up its parents). */
  const oneJson = async (id: number) => {
    const view = await comments.commentAsShown(db, id);
    const paper = view && (await findPaperKey(db.kysely, { id: view.paperId }));
    if (!view || !paper) return undefined;
    let depth = 0;
    for (let up = view.parentId; up !== null && depth < 1000; depth++) up = (await comments.findComment(db, up))?.parent_id ?? null;
    return toJson(paper, view, depth);
  };
  const rateLimited = (c: Context) => {
    c.header('Retry-After', '60');
    return apiError(c, 429, 'Too many comments: at most five a minute and 100 a day. Wait a moment and try again.');
  };

  return apiRouter()
    .openapi(list, async (c) => {
      const paper = await paperOf(c.req.valid('param').ref);
      if (!paper) return apiError(c, 404);
      const { page } = c.req.valid('query');
      const all = flatten((await comments.threadOf(db, paper.id)).comments);
      const pageCount = Math.max(1, Math.ceil(all.length / COMMENTS_API_PAGE));
      if (page > pageCount) return apiError(c, 404);
      const href = (p: number) => `/api${paperUrl(paper)}/comments?page=${p}`;
      const shown = all.slice((page - 1) * COMMENTS_API_PAGE, page * COMMENTS_API_PAGE).map((e) => toJson(paper, e.view, e.depth));
      return c.json({ ...pageJson(config, { page, pageCount, total: all.length }, COMMENTS_API_PAGE, href), comments: shown }, 200);
    })
    .openapi(create, async (c) => {
      const user = requireUser(c);
      const paper = await paperOf(c.req.valid('param').ref);
      if (!paper) return apiError(c, 404);
      const input = c.req.valid('json');
      const made = await comments.postComment(db, user, { paperId: paper.id, parentId: input.parent, body: input.body });
      if (made === 'no-parent') return apiError(c, 400, 'parent: there is no such comment on this paper to answer.');
      if (made === 'rate-limited') return rateLimited(c);
      return c.json((await oneJson(made.id))!, 201);
    })
    .openapi(change, async (c) => {
      requireUser(c);
      const mine = ownedOr404(c, await comments.findComment(db, c.req.valid('param').id));
      if (mine.deleted_at !== null) return apiError(c, 404);
      const outcome = await comments.editComment(db, mine, c.req.valid('json').body);
      if (outcome === 'rate-limited') return rateLimited(c);
      if (outcome === 'deleted') return apiError(c, 404);
      return c.json((await oneJson(mine.id))!, 200);
    })
    .openapi(remove, async (c) => {
      requireUser(c);
      const mine = ownedOr404(c, await comments.findComment(db, c.req.valid('param').id));
      await comments.deleteComment(db, mine);
      return c.body(null, 204);
    });
}
