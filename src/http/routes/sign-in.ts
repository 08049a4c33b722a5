/**
 * Signing in and out: /signin (the page), POST /signin/link (mail me a link) and /signin/link/<token> (GET a
 * button, POST signs in — or up), POST /signin/password, /signin/forgot and /signin/reset/<token>,
 * /signin/invite/<token>, POST /signout. Single sign-on is in oidc.ts.
 */
import { type Context, Hono } from 'hono';
import { EmailInput } from '../../subscriptions/subscription-input.ts';
import { secretKeyOf } from '../../secret-key.ts';
import { whyNoSignUp } from '../../accounts/accounts.service.ts';
import { acceptInvite, checkInvite } from '../../accounts/invitations.ts';
import { linkData } from '../../accounts/email-links.ts';
import * as signIn from '../../accounts/sign-in.service.ts';
import type { AppDeps } from '../app.ts';
import { currentUser, safeNextPath } from '../auth.ts';
import { sharedPagesUnchanged } from '../cache.ts';
import { clientAddress } from '../client-address.ts';
import { csrfToken } from '../csrf.ts';
import { formFields } from '../params.ts';
import { badLinkPage, checkInboxPage, forgotPage, invitePage, linkButtonPage, resetPage, signInPage, tooManyPage } from '../pages/sign-in.tsx';
import { endBrowserSession, startSession } from '../session-start.ts';

const NOT_ALLOWED = {
  domain: 'Accounts here are for addresses of the lab’s own domains.',
  closed: 'This Paperboy does not take new accounts.',
  'invite-only': 'New accounts here are by invitation: ask an administrator.',
};

/** Routes of signing in, mounted at /signin. */
export function signInRoutes(deps: AppDeps) {
  const { db, config } = deps;
  const ctx: signIn.SignInContext = { db: db.kysely, accounts: config.accounts, key: secretKeyOf(config) };
  const client = (c: Context) => clientAddress(c, config.trustProxyHops);
  const page = (c: Context, over: { next?: string; email?: string; error?: string; notice?: string } = {}, status: 200 | 400 | 401 | 429 = 200) =>
    c.html(signInPage({ ...over, csrf: csrfToken(c), next: safeNextPath(over.next ?? c.req.query('next')), sso: config.accounts.oidc?.name, signUpOpen: config.accounts.registration === 'open' }), status);
  const linkAction = (c: Context) => c.req.path;

  return new Hono()
    .use('*', async (c, next) => {
      sharedPagesUnchanged(c); // signing in and out changes nothing that everyone's pages show
      await next();
    })
    .get('/', (c) => (currentUser(c) && !c.req.query('next') ? c.redirect('/account', 303) : page(c)))
    .post('/link', async (c) => {
      const body = await formFields(c);
      const email = EmailInput.safeParse(body.email);
      if (!email.success) return page(c, { next: body.next, email: body.email, error: email.error.issues[0].message }, 400);
      const why = whyNoSignUp(config.accounts, email.data, false);
      if (why === 'domain') return page(c, { next: body.next, email: email.data, error: NOT_ALLOWED.domain }, 400);
      if ((await signIn.requestSignInLink(ctx, { email: email.data, client: client(c), next: safeNextPath(body.next) })) === 'too-many') return c.html(tooManyPage(), 429);
      return c.html(checkInboxPage(email.data, 'sign-in'));
    })
    .get('/link/:token', async (c) => {
      const link = await signIn.checkSignInLink(ctx, c.req.param('token'));
      if (!link) return c.html(badLinkPage(), 404);
      return c.html(linkButtonPage({ csrf: csrfToken(c), action: linkAction(c), email: link.email, signUp: link.user_id === null }));
    })
    .post('/link/:token', async (c) => {
      const used = await signIn.useSignInLink(ctx, c.req.param('token'));
      if (used === 'invalid') return c.html(badLinkPage(), 404);
      if (used === 'not-allowed') return page(c, { error: NOT_ALLOWED[config.accounts.registration === 'open' ? 'domain' : config.accounts.registration === 'closed' ? 'closed' : 'invite-only'] }, 400);
      return startSession(c, deps, used.user, 'email-link', used.created ? '/account?welcome=1' : used.next);
    })
    .post('/password', async (c) => {
      const body = await formFields(c);
      const email = EmailInput.safeParse(body.email);
      if (!email.success || !body.password) return page(c, { next: body.next, email: body.email, error: 'Enter your email address and password.' }, 400);
      const user = await signIn.signInWithPassword(ctx, { email: email.data, password: body.password, client: client(c) });
      if (user === 'too-many') return c.html(tooManyPage(), 429);
      if (user === 'wrong') return page(c, { next: body.next, email: email.data, error: 'That email address and password do not match an account. Passwords are case-sensitive.' }, 401);
      return startSession(c, deps, user, 'password', body.next);
    })
    .get('/forgot', (c) => c.html(forgotPage({ csrf: csrfToken(c) })))
    .post('/forgot', async (c) => {
      const email = EmailInput.safeParse((await formFields(c)).email);
      if (!email.success) return c.html(forgotPage({ csrf: csrfToken(c), error: email.error.issues[0].message }), 400);
      if ((await signIn.requestPasswordReset(ctx, { email: email.data, client: client(c) })) === 'too-many') return c.html(tooManyPage(), 429);
      return c.html(checkInboxPage(email.data, 'reset'));
    })
    .get('/reset/:token', async (c) => {
      const link = await signIn.checkResetLink(ctx, c.req.param('token'));
      if (!link) return c.html(badLinkPage(), 404);
      return c.html(resetPage({ csrf: csrfToken(c), action: linkAction(c), email: link.email }));
    })
    .post('/reset/:token', async (c) => {
      const token = c.req.param('token');
      const link = await signIn.checkResetLink(ctx, token);
      if (!link) return c.html(badLinkPage(), 404);
      const done = await signIn.resetPassword(ctx, token, (await formFields(c)).password ?? '');
      if (done === 'invalid') return c.html(badLinkPage(), 404);
      if ('problem' in done) return c.html(resetPage({ csrf: csrfToken(c), action: linkAction(c), email: link.email, error: done.problem }), 400);
      return startSession(c, deps, done, 'reset', '/account?password=reset');
    })
    .get('/invite/:token', async (c) => {
      const link = await checkInvite(ctx, c.req.param('token'));
      if (!link) return c.html(badLinkPage(), 404);
      return c.html(invitePage({ csrf: csrfToken(c), action: linkAction(c), email: link.email, role: linkData(link).role ?? 'member' }));
    })
    .post('/invite/:token', async (c) => {
      const user = await acceptInvite(ctx, c.req.param('token'));
      if (user === 'invalid') return c.html(badLinkPage(), 404);
      return startSession(c, deps, user, 'email-link', '/account?welcome=1');
    });
}

/** POST /signout, mounted at the root: ends this browser's session. */
export function signOutRoutes(deps: AppDeps) {
  return new Hono().post('/signout', async (c) => {
    await endBrowserSession(c, deps);
    return c.redirect('/', 303);
  });
}
