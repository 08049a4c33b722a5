/** /account/comments: the reader's comments and the reply-mail setting (GET; POST the setting). */
import { Hono } from 'hono';
import { ReplyMailForm } from '../../comments/comments.schemas.ts';
import * as comments from '../../comments/comments.service.ts';
import type { AppDeps } from '../app.ts';
import { requireUser } from '../auth.ts';
import { sharedPagesUnchanged } from '../cache.ts';
import { csrfToken } from '../csrf.ts';
import { errorResponse } from '../errors.ts';
import { formFields } from '../params.ts';
import { accountCommentsPage } from '../pages/account-comments.tsx';

/** Routes mounted at /account/comments. */
export function accountCommentRoutes({ db }: AppDeps) {
  return new Hono()
    .get('/', async (c) => {
      const user = requireUser(c);
      const [replyMails, rows] = await Promise.all([comments.replyMailsWanted(db, user.id), comments.commentsOf(db, user)]);
      const own = rows.map((r) => ({ id: r.id, paper: { id: r.paper_id, arxivId: r.paper_arxiv_id, title: r.paper_title }, body: r.body, createdAt: r.created_at, hidden: r.hidden_at !== null }));
      c.header('Cache-Control', 'private, no-store');
      return c.html(accountCommentsPage({ csrf: csrfToken(c), replyMails, comments: own, notice: c.req.query('notice') === 'saved' ? 'Saved.' : undefined }));
    })
    .post('/', async (c) => {
      const user = requireUser(c);
      const parsed = ReplyMailForm.safeParse(await formFields(c));
      if (!parsed.success) return errorResponse(c, 400, 'The reply-mail setting is a checkbox.');
      await comments.setReplyMails(db, user, parsed.data.reply_mails === 'on');
      sharedPagesUnchanged(c);
      return c.redirect('/account/comments?notice=saved', 303);
    });
}
