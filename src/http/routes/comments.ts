/**
 * The comment forms of paper pages (mounted at /comments): POST / (a comment or a reply), GET|POST <n>/edit,
 * POST <n>/delete. Each answers with a redirect to the comment on its paper's page (303); a comment that
 * could not be posted comes back in a form with the reason and the reader's text. Only a comment's author
 * edits or deletes it: anyone else's comment is a 404, as one that does not exist.
 */
import { type Context, Hono } from 'hono';
import type { Owned } from '../../accounts/user.ts';
import { CommentEditForm, CommentForm } from '../../comments/comments.schemas.ts';
import * as comments from '../../comments/comments.service.ts';
import { commentAnchor } from '../../comments/reply-mail.tsx';
import type { AppDeps } from '../app.ts';
import { ownedOr404, requireUser } from '../auth.ts';
import { commentUrls } from '../content-urls.ts';
import { csrfToken } from '../csrf.ts';
import { errorResponse } from '../errors.ts';
import { commentFormPage, type CommentFormPageProps } from '../pages/comment-form.tsx';
import { findPaper } from '../papers.queries.ts';
import { formFields } from '../params.ts';
import { paperUrl } from '../urls.ts';

const RATE_LIMITED = 'That is more comments than an account may write in a minute (five) or a day (100). Wait a moment and send it again.';

/** Routes mounted at /comments. */
export function commentRoutes({ db }: AppDeps) {
  const paperById = (id: number) => findPaper(db, { id });
  /** The signed-in author's comment (not deleted), or the request ends: 401 signed out, 404 anyone else's. */
  const own = async (c: Context): Promise<Owned<comments.CommentRow>> => {
    requireUser(c);
    const id = c.req.param('id') ?? '';
    const row = /^\d{1,10}$/.test(id) ? await comments.findComment(db, Number(id)) : undefined;
    const mine = ownedOr404(c, row);
    if (mine.deleted_at !== null) ownedOr404(c, undefined);
    return mine;
  };
  const again = (c: Context, p: Omit<CommentFormPageProps, 'csrf'>, status: 400 | 429) => c.html(commentFormPage({ ...p, csrf: csrfToken(c) }), status);
  const at = (paper: { id: number; arxivId: string | null }, commentId: number) => `${paperUrl(paper)}#${commentAnchor(commentId)}`;

  return new Hono()
    .post('/', async (c) => {
      const user = requireUser(c);
      const fields = await formFields(c);
      const paper = /^\d{1,10}$/.test(fields.paper ?? '') ? await paperById(Number(fields.paper)) : undefined;
      if (!paper) return c.notFound();
      const form = { title: fields.parent ? 'Reply' : 'Comment', paper, action: commentUrls.create, fields: { paper: String(paper.id), parent: fields.parent ?? '' }, body: fields.body ?? '', button: fields.parent ? 'Reply' : 'Comment' };
      const parsed = CommentForm.safeParse(fields);
      if (!parsed.success) return again(c, { ...form, error: parsed.error.issues[0].message }, 400);
      const made = await comments.postComment(db, user, { paperId: paper.id, parentId: parsed.data.parent === undefined ? undefined : Number(parsed.data.parent), body: parsed.data.body });
      if (made === 'no-parent') return errorResponse(c, 400, 'The comment you answered is not on this paper any more.');
      if (made === 'rate-limited') return again(c, { ...form, error: RATE_LIMITED }, 429);
      return c.redirect(at(paper, made.id), 303);
    })
    .get('/:id{[0-9]+}/edit', async (c) => {
      const mine = await own(c);
      const paper = (await paperById(mine.paper_id))!;
      c.header('Cache-Control', 'private, no-store');
      return c.html(commentFormPage({ title: 'Edit your comment', paper, action: commentUrls.edit(mine.id), csrf: csrfToken(c), body: mine.body, button: 'Save the change' }));
    })
    .post('/:id{[0-9]+}/edit', async (c) => {
      const mine = await own(c);
      const paper = (await paperById(mine.paper_id))!;
      const fields = await formFields(c);
      const form = { title: 'Edit your comment', paper, action: commentUrls.edit(mine.id), body: fields.body ?? '', button: 'Save the change' };
      const parsed = CommentEditForm.safeParse(fields);
      if (!parsed.success) return again(c, { ...form, error: parsed.error.issues[0].message }, 400);
      const outcome = await comments.editComment(db, mine, parsed.data.body);
      if (outcome === 'rate-limited') return again(c, { ...form, error: 'Too many edits in a minute. Wait a moment and save again.' }, 429);
      if (outcome === 'deleted') return c.notFound();
      return c.redirect(at(paper, mine.id), 303);
    })
    .post('/:id{[0-9]+}/delete', async (c) => {
      const mine = await own(c);
      await comments.deleteComment(db, mine);
      const paper = (await paperById(mine.paper_id))!;
      return c.redirect(`${paperUrl(paper)}#comments`, 303);
    });
}
