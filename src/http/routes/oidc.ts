/**
 * Single sign-on: GET /signin/oidc sends the browser to the provider (state, nonce and PKCE verifier kept in a
 * signed, HttpOnly cookie for 10 minutes, path /signin/oidc only); GET /signin/oidc/callback is where it comes
 * back. The callback is the one GET that signs someone in — OAuth's redirect is a GET — and it does so only
 * with the provider's code for the state this browser's cookie holds.
 */
import { createHmac } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { beginSignOn, finishSignOn, type PendingSignOn, type SignOnRefusal } from '../../accounts/oidc.ts';
import { constantTimeEqual } from '../../accounts/secrets.ts';
import { clientMayTry } from '../../accounts/sign-in.service.ts';
import { secretKeyOf } from '../../secret-key.ts';
import type { AppDeps } from '../app.ts';
import { safeNextPath } from '../auth.ts';
import { sharedPagesUnchanged } from '../cache.ts';
import { clientAddress } from '../client-address.ts';
import { csrfToken } from '../csrf.ts';
import { errorResponse } from '../errors.ts';
import { signInPage, tooManyPage } from '../pages/sign-in.tsx';
import { startSession } from '../session-start.ts';

const COOKIE = 'paperboy_oidc';
const REFUSED: Record<SignOnRefusal, string> = {
  failed: 'Single sign-on did not complete (the provider refused, or the attempt was too old). Try again.',
  unverified: 'The provider did not vouch for an email address, which a Paperboy account needs.',
  domain: 'Accounts here are for addresses of the lab’s own domains.',
  'not-allowed': 'There is no Paperboy account for this address, and new accounts here are by invitation.',
  suspended: 'This account is suspended.',
};

/** Routes of single sign-on, mounted at /signin/oidc. */
export function oidcRoutes(deps: AppDeps) {
  const { db, config } = deps;
  const key = secretKeyOf(config);
  const settings = config.accounts.oidc;
  const secure = config.publicBaseUrl.startsWith('https:');
  const callback = `${config.publicBaseUrl}/signin/oidc/callback`;
  const sign = (value: string) => createHmac('sha256', key).update(`oidc pending\n${value}`).digest('base64url');
  const refuse = (c: Context, error: string, status: 400 | 502 = 400) =>
    c.html(signInPage({ csrf: csrfToken(c), next: '/', error, sso: settings?.name, signUpOpen: config.accounts.registration === 'open' }), status);

  const readPending = (c: Context): PendingSignOn | undefined => {
    const [value, mac] = (getCookie(c, COOKIE) ?? '').split('.');
    if (!value || !mac || !constantTimeEqual(mac, sign(value))) return undefined;
    try {
      return JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as PendingSignOn;
    } catch {
      return undefined;
    }
  };

  return new Hono()
    .use('*', async (c, next) => {
      if (!settings) return errorResponse(c, 404);
      sharedPagesUnchanged(c);
      await next();
      c.header('Cache-Control', 'private, no-store');
    })
    .get('/', async (c) => {
      if (!(await clientMayTry({ db: db.kysely, accounts: config.accounts, key }, clientAddress(c, config.trustProxyHops)))) return c.html(tooManyPage(), 429);
      let started;
      try {
        started = await beginSignOn(settings!, callback, safeNextPath(c.req.query('next')));
      } catch (err) {
        if (config.logLevel !== 'silent') console.error(`oidc: discovery at ${settings!.issuer} failed: ${(err as Error).message}`);
        return refuse(c, `The single sign-on provider (${settings!.name}) cannot be reached. Sign in by email instead, or try later.`, 502);
      }
      const value = Buffer.from(JSON.stringify(started.pending)).toString('base64url');
      setCookie(c, COOKIE, `${value}.${sign(value)}`, { path: '/signin/oidc', httpOnly: true, sameSite: 'Lax', secure, maxAge: 600 });
      return c.redirect(started.url, 303);
    })
    .get('/callback', async (c) => {
      const pending = readPending(c);
      deleteCookie(c, COOKIE, { path: '/signin/oidc', secure });
      if (!pending) return refuse(c, REFUSED.failed);
      const url = new URL(callback);
      url.search = new URL(c.req.url).search;
      const user = await finishSignOn({ db: db.kysely, accounts: config.accounts }, settings!, url, pending);
      if (typeof user === 'string') return refuse(c, REFUSED[user]);
      return startSession(c, deps, user, 'oidc', pending.next);
    });
}
