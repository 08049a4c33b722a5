/** Signing a browser in or out: the session is made (rotated: the browser's old one ends) and the cookie set. */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { SessionMethod } from '../db/schema.accounts.ts';
import { endSession, openSession } from '../accounts/sessions.ts';
import type { User } from '../accounts/user.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { clearSessionCookie, safeNextPath, sessionCookieName, setSessionCookie } from './auth.ts';
import { sharedPagesUnchanged } from './cache.ts';
import { clientAddress } from './client-address.ts';
import { csrfToken } from './csrf.ts';

/**
 * Opens a new session for `user` and redirects to `next`. Whatever session cookie the browser had (another
 * account's, an expired one, one planted before sign-in) ends: a session value never outlives a sign-in.
 */
export async function startSession(c: Context, deps: { db: Db; config: Config }, user: User, method: SessionMethod, next?: string): Promise<Response> {
  const old = getCookie(c, sessionCookieName(deps.config));
  if (old) await endSession(deps.db.kysely, old);
  const { token } = await openSession(deps.db.kysely, user.id, { method, userAgent: c.req.header('User-Agent'), client: clientAddress(c, deps.config.trustProxyHops) });
  setSessionCookie(c, deps.config, token);
  csrfToken(c); // the forms of the pages to come need the visitor cookie; sign-in through SSO may not have had one
  sharedPagesUnchanged(c);
  return c.redirect(safeNextPath(next), 303);
}

/** Ends this browser's session and removes its cookie. */
export async function endBrowserSession(c: Context, deps: { db: Db; config: Config }): Promise<void> {
  const token = getCookie(c, sessionCookieName(deps.config));
  if (token) await endSession(deps.db.kysely, token);
  clearSessionCookie(c, deps.config);
  sharedPagesUnchanged(c);
}
