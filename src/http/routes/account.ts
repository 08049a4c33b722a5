/**
 * The signed-in reader's own account: GET /account; POST /account/profile, /account/password,
 * /account/sessions/<id>/revoke, /account/sessions/others ("sign out everywhere else"), /account/tokens
 * (shows the new token once, in that response), /account/tokens/<id>/revoke; GET /account/export (the
 * reader's data as a JSON download, ops/user-export.service.ts). Another account's session or
 * token id answers 404, like an id that does not exist.
 */
import { type Context, Hono } from 'hono';
import { identitiesOf, updateUser } from '../../accounts/accounts.repo.ts';
import { createApiToken, findApiToken, listApiTokens, MAX_TOKENS, revokeApiToken } from '../../accounts/api-tokens.ts';
import { findSession, listSessions, revokeOtherSessions, revokeSession } from '../../accounts/sessions.ts';
import { changePassword, type SignInContext } from '../../accounts/sign-in.service.ts';
import type { User } from '../../accounts/user.ts';
import { secretKeyOf } from '../../secret-key.ts';
import { managePath } from '../../subscriptions/links.ts';
import type { AppDeps } from '../app.ts';
import { currentSession, ownedOr404, requireUser } from '../auth.ts';
import { sharedPagesUnchanged } from '../cache.ts';
import { csrfToken } from '../csrf.ts';
import { formFields } from '../params.ts';
import { accountPage, type AccountPageProps } from '../pages/account.tsx';
import { endBrowserSession } from '../session-start.ts';
import { exportUserData } from '../../ops/user-export.service.ts';

const NOTICES: Record<string, string> = {
  welcome: 'Welcome! Your account is ready. Set a password below if you like, or keep signing in by email.',
  saved: 'Saved.',
  'password-set': 'Your password is saved. Your other sessions were signed out.',
  'password-reset': 'Your new password is saved, and every other session was signed out.',
  revoked: 'That session is signed out.',
  others: 'Every other session is signed out.',
  'token-revoked': 'The token is revoked: it no longer works.',
};

/** Routes of the account page, mounted at /account. */
export function accountRoutes(deps: AppDeps) {
  const { db, config } = deps;
  const key = secretKeyOf(config);
  const ctx: SignInContext = { db: db.kysely, accounts: config.accounts, key };
  const id = (c: Context) => Number(c.req.param('id'));

  const render = async (c: Context, user: User, extra: Pick<AccountPageProps, 'notice' | 'errors' | 'newToken'> = {}, status: 200 | 400 = 200) =>
    c.html(
      accountPage({
        csrf: csrfToken(c),
        user,
        currentSessionId: currentSession(c)?.id,
        sessions: await listSessions(db.kysely, user),
        tokens: await listApiTokens(db.kysely, user),
        identities: await identitiesOf(db.kysely, user.id),
        subscriptionUrl: user.subscriberId !== null ? managePath(key, user.subscriberId) : undefined,
        ...extra,
      }),
      status,
    );
  const back = (c: Context, notice: string) => c.redirect(`/account?notice=${notice}`, 303);

  return new Hono()
    .use('*', async (c, next) => {
      sharedPagesUnchanged(c); // nothing here changes what everyone's pages show
      await next();
    })
    .get('/', (c) => {
      const user = requireUser(c);
      const notice = NOTICES[c.req.query('notice') ?? (c.req.query('welcome') ? 'welcome' : c.req.query('password') === 'reset' ? 'password-reset' : '')];
      return render(c, user, { notice });
    })
    .get('/export', async (c) => {
      const user = requireUser(c);
      const data = await exportUserData(db, user.email);
      c.header('Cache-Control', 'private, no-store');
      c.header('Content-Disposition', `attachment; filename="paperboy-${new Date().toISOString().slice(0, 10)}.json"`);
      return c.json(data);
    })
    .post('/profile', async (c) => {
      const user = requireUser(c);
      const name = ((await formFields(c)).display_name ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
      if (name.length > 80) return render(c, user, { errors: { display_name: 'At most 80 characters.' } }, 400);
      await updateUser(db.kysely, user.id, { display_name: name || null });
      return back(c, 'saved');
    })
    .post('/password', async (c) => {
      const user = requireUser(c);
      const body = await formFields(c);
      const done = await changePassword(ctx, user, { current: body.current, password: body.password ?? '', keepSessionId: currentSession(c)?.id });
      if (done === 'wrong-current') return render(c, user, { errors: { current: 'That is not your current password (or there were too many attempts; wait 15 minutes).' } }, 400);
      if (done !== 'ok') return render(c, user, { errors: { password: done.problem } }, 400);
      return back(c, 'password-set');
    })
    .post('/sessions/:id{[0-9]{1,9}}/revoke', async (c) => {
      requireUser(c);
      const session = ownedOr404(c, await findSession(db.kysely, id(c)));
      await revokeSession(db.kysely, session);
      if (session.id !== currentSession(c)?.id) return back(c, 'revoked');
      await endBrowserSession(c, deps);
      return c.redirect('/', 303);
    })
    .post('/sessions/others', async (c) => {
      const user = requireUser(c);
      await revokeOtherSessions(db.kysely, user, currentSession(c));
      return back(c, 'others');
    })
    .post('/tokens', async (c) => {
      const user = requireUser(c);
      const name = ((await formFields(c)).name ?? '').trim();
      const made = await createApiToken(db.kysely, user, name);
      if (!made) return render(c, user, { errors: { token: `An account keeps at most ${MAX_TOKENS} tokens: revoke one first.` } }, 400);
      return render(c, user, { newToken: { name: made.row.name, token: made.token } });
    })
    .post('/tokens/:id{[0-9]{1,9}}/revoke', async (c) => {
      requireUser(c);
      await revokeApiToken(db.kysely, ownedOr404(c, await findApiToken(db.kysely, id(c))));
      return back(c, 'token-revoked');
    });
}
