/**
 * Guards /admin. The rule: only a holder of the admin token gets in, however they connect — the peer
 * address is never trusted, since a reverse proxy on this machine connects from loopback on behalf of
 * anyone (plain nginx `proxy_pass` does not even say so in a header). The token is ADMIN_TOKEN, or one
 * `paperboy serve` generates once under DATA_DIR and prints as a sign-in link at start-up. It is
 * presented as `Authorization: Bearer T`, as the HTTP Basic password (any user name), or once through
 * `/admin?token=T`, which sets an HttpOnly, SameSite=Strict session cookie for /admin. A signed-in admin
 * account (http/auth.ts) gets in as well, token or not.
 *
 * Before any of that, the Host must be one this server answers to (the public host, localhost or an IP
 * address): a page on another name that DNS-rebinds to this machine is refused even with credentials.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../config.ts';
import { isAdmin } from '../accounts/user.ts';
import { currentUser } from './auth.ts';
import { isOwnHost } from './security.ts';
import { isHttps } from './client-address.ts';

const COOKIE = 'paperboy_admin';
const SESSION_DAYS = 30;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token a request presents: `Authorization: Bearer T`, or HTTP Basic with T as the password (any user name). */
function presentedToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}

/** A session cookie's value: its expiry and a MAC under the token, so changing the token signs everyone out. */
function sessionValue(token: string, expires: number): string {
  return `${expires}.${createHmac('sha256', token).update(`paperboy admin session\n${expires}`).digest('base64url')}`;
}

function validSession(token: string, value: string | undefined, now: Date): boolean {
  const m = value === undefined ? null : /^(\d{1,12})\.[A-Za-z0-9_-]{43}$/.exec(value);
  if (!m || Number(m[1]) * 1000 < now.getTime()) return false;
  return same(value!, sessionValue(token, Number(m[1])));
}

function signIn(c: Context, token: string, now: Date): Response {
  const expires = Math.floor(now.getTime() / 1000) + SESSION_DAYS * 86400;
  setCookie(c, COOKIE, sessionValue(token, expires), {
    path: '/admin',
    httpOnly: true,
    sameSite: 'Strict',
    secure: isHttps(c),
    maxAge: SESSION_DAYS * 86400,
  });
  // Off the address bar and out of the history's last entry; the pages send no Referer either.
  const path = c.req.path.replace(/\/$/, '');
  return c.redirect(path === '/admin' ? '/admin/outbox' : path, 303);
}

/** Middleware for /admin: the Host check, then the token (header, session cookie, or the sign-in link). */
export function adminOnly(config: Pick<Config, 'adminToken' | 'publicBaseUrl'>): MiddlewareHandler {
  const token = config.adminToken;
  return async (c, next) => {
    if (!isOwnHost(c, config.publicBaseUrl)) {
      const host = new URL(c.req.url).hostname.slice(0, 100);
      return c.text(`This server does not answer /admin for the host name “${host}”. Use the address in PUBLIC_BASE_URL, localhost or an IP address.`, 421);
    }
    if (isAdmin(currentUser(c))) return next();
    if (!token) return c.text('The admin pages are closed: no admin token is set (set ADMIN_TOKEN, or start with `paperboy serve`, which generates one).', 403);
    const now = new Date();
    const link = c.req.method === 'GET' ? c.req.query('token') : undefined;
    if (link && same(link, token)) return signIn(c, token, now);
    const presented = presentedToken(c.req.header('Authorization'));
    if ((presented && same(presented, token)) || validSession(token, getCookie(c, COOKIE), now)) return next();
    c.header('WWW-Authenticate', 'Basic realm="Paperboy admin", charset="UTF-8"');
    return c.text('The admin pages need an admin account or the admin token: sign in at /signin as an admin, open the sign-in link Paperboy printed at start-up, or give ADMIN_TOKEN (or the admin-token file in the data directory) as the password, any user name.', 401);
  };
}

/** The start-up line that tells the operator how to open /admin, or undefined when it is closed. */
export function adminSignInMessage(config: Pick<Config, 'adminToken' | 'adminTokenSource'>, serverUrl: string): string | undefined {
  if (!config.adminToken) return undefined;
  // A token the operator chose stays out of the log; a generated one is what the log is for.
  if (config.adminTokenSource === 'generated') return `Admin: ${serverUrl}/admin?token=${encodeURIComponent(config.adminToken)}`;
  return `Admin: ${serverUrl}/admin (sign in with ADMIN_TOKEN)`;
}
