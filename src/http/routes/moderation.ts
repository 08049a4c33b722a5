/**
 * Moderation for admins (a signed-in admin or the admin token, admin-auth.ts): /admin/comments lists the
 * site's newest comments with POST <n>/hide, <n>/unhide and <n>/suspend-author; /admin/audit is the audit
 * log. Each action is audited with who did it (moderation.service.ts). These change what paper pages show,
 * so — unlike account settings — they leave the response cache to be cleared.
 */
import { type Context, Hono } from 'hono';
import * as moderation from '../../moderation/moderation.service.ts';
import type { AppDeps } from '../app.ts';
import { adminOnly } from '../admin-auth.ts';
import { currentUser, safeNextPath } from '../auth.ts';
import { csrfToken } from '../csrf.ts';
import { errorResponse } from '../errors.ts';
import { formFields, pageParam } from '../params.ts';
import { auditPage, moderationPage, MODERATION_PATHS } from '../pages/moderation.tsx';

const MESSAGES: Record<string, string> = {
  hide: 'The comment is hidden: nobody sees it now.',
  unhide: 'The comment is shown again.',
  'suspend-author': 'Its author is suspended: signed out everywhere, and none of their comments is shown.',
  unchanged: 'Nothing to change: it was so already.',
  'last-admin': 'That is the last active administrator: make someone else an admin first.',
};

const noStore = async (c: Context, next: () => Promise<void>) => {
  await next();
  c.header('Cache-Control', 'private, no-store');
};

/** Page number of a request, or the 400 to answer. */
function page(c: Context): number | Response | Promise<Response> {
  const n = pageParam(c.req.query('page'));
  return n === undefined ? errorResponse(c, 400, 'The page number must be a whole number from 1.') : n;
}

/** Routes mounted at /admin/comments. */
export function moderationRoutes({ db, config }: AppDeps) {
  return new Hono()
    .use('*', adminOnly(config), noStore)
    .get('/', async (c) => {
      const n = page(c);
      if (typeof n !== 'number') return n;
      const list = await moderation.recentCommentsPage(db, n);
      if (n > list.pageCount) return c.notFound();
      return c.html(moderationPage({ csrf: csrfToken(c), ...list, page: n, notice: MESSAGES[c.req.query('notice') ?? ''], error: MESSAGES[c.req.query('error') ?? ''] }));
    })
    .post('/:id{[0-9]{1,10}}/:action{hide|unhide|suspend-author}', async (c) => {
      const id = Number(c.req.param('id'));
      const action = c.req.param('action') as 'hide' | 'unhide' | 'suspend-author';
      const actor = currentUser(c) ?? null;
      const outcome = action === 'suspend-author' ? await moderation.suspendAuthor(db, config.accounts, actor, id) : await moderation.hideComment(db, actor, id, action);
      if (outcome === 'not-found') return c.notFound();
      const back = safeNextPath((await formFields(c)).back);
      const to = back.startsWith(MODERATION_PATHS.comments) ? MODERATION_PATHS.comments : back;
      const query = outcome === 'ok' ? `notice=${action}` : `error=${outcome}`;
      // Back to the moderators' list with what happened; back to a paper page as it now is.
      return c.redirect(to === MODERATION_PATHS.comments ? `${to}?${query}#comment-${id}` : `${to}#comments`, 303);
    });
}

/** Routes mounted at /admin/audit. */
export function auditRoutes({ db, config }: AppDeps) {
  return new Hono().use('*', adminOnly(config), noStore).get('/', async (c) => {
    const n = page(c);
    if (typeof n !== 'number') return n;
    const log = await moderation.auditPage(db, n);
    if (n > log.pageCount) return c.notFound();
    return c.html(auditPage({ ...log, page: n }));
  });
}
