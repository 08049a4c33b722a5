/**
 * Who is asking: one middleware resolves the account of every request, from the session cookie or, under
 * /api only, from a personal API token (`Authorization: Bearer pb_…`). Handlers read it with `currentUser(c)`
 * or demand it with `requireUser(c)`, and turn another person's private row into a 404 with `ownedOr404`.
 *
 * Rules it keeps:
 * - A request that carries an API token is that token's account and nothing else: its cookies are ignored,
 *   so a page cannot borrow a browser's session by adding a header. It is exempt from the CSRF check
 *   (`isTokenAuthenticated`), since no browser sends such a header across sites without CORS, which
 *   Paperboy never allows. An unknown or revoked token is a 401, not an anonymous request.
 * - Tokens work only on paths under /api; on pages they are ignored. That is how a route says it accepts
 *   tokens: it lives under /api.
 * - A suspended account's sessions and tokens resolve to nobody.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { apiTokenFor, type ApiTokenRow, looksLikeApiToken } from '../accounts/api-tokens.ts';
import { SESSION_DAYS, sessionFor, type SessionRow } from '../accounts/sessions.ts';
import { isAdmin, type Owned, ownedBy, type User } from '../accounts/user.ts';
import type { Config } from '../config.ts';
import { type Db, quickReads } from '../db/database.ts';
import { errorResponse } from './errors.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The account of this request, set by `authentication`. */
    user?: User;
    /** How the account was recognised. */
    credential?: { via: 'session'; session: SessionRow; token: string } | { via: 'api-token'; token: ApiTokenRow };
    /** Set while a page is rendered for the shared response cache: nobody is signed in then. */
    renderingShared?: boolean;
  }
}

/** Where pages send someone who must sign in. */
export const SIGN_IN_PATH = '/signin';
const TOKEN_PATHS = /^\/api(\/|$)/;
// Any route's context (typed routes such as @hono/zod-openapi's have their own input and env types).
type AnyContext = Context<any, any, any>;
const NO_ACCOUNT_PATHS = /^\/assets\//;

/** The session cookie's name: `__Host-` prefixed when the site is served over https (no subdomain can set it then). */
export function sessionCookieName(config: Pick<Config, 'publicBaseUrl'>): string {
  return config.publicBaseUrl.startsWith('https:') ? '__Host-paperboy_session' : 'paperboy_session';
}

function bearer(c: Context): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '')?.[1];
}

/** The middleware: sets `user` and `credential` for the rest of the request. Install once, before the response cache. */
export function authentication({ db, config }: { db: Db; config: Config }): MiddlewareHandler {
  const cookieName = sessionCookieName(config);
  return async (c, next) => {
    if (NO_ACCOUNT_PATHS.test(c.req.path)) return next();
    const presented = bearer(c);
    if (presented && looksLikeApiToken(presented) && TOKEN_PATHS.test(c.req.path)) {
      const found = await apiTokenFor(db.kysely, presented, new Date(), quickReads(db));
      if (!found) {
        c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
        return c.json({ error: { status: 401, title: 'Unauthorized', message: 'This API token is unknown or was revoked.' } }, 401);
      }
      c.set('user', found.user);
      c.set('credential', { via: 'api-token', token: found.token });
      return next();
    }
    const token = getCookie(c, cookieName);
    const found = token ? await sessionFor(db.kysely, token, new Date(), quickReads(db)) : undefined;
    if (found && token) {
      c.set('user', found.user);
      c.set('credential', { via: 'session', session: found.session, token });
    }
    await next();
    // Whatever a signed-in reader is shown is theirs: no shared cache on the way may keep it.
    if (c.get('user') && !/no-store/.test(c.res.headers.get('Cache-Control') ?? '')) c.res.headers.set('Cache-Control', 'private, no-store');
  };
}

/**
 * The signed-in account of this request, if any. While a page is rendered for the shared response cache
 * this is undefined, whoever asked: per-reader parts of such pages are user slots (user-slots.tsx).
 */
export function currentUser(c: AnyContext): User | undefined {
  return c.get('renderingShared') ? undefined : c.get('user');
}

/**
 * Runs the rest of the request as for an anonymous reader, for a response the cache may share. A page that
 * truly differs per reader (a list with "hide papers I have seen") asks `personalUser` instead.
 */
export async function renderingShared(c: Context, next: () => Promise<void>): Promise<void> {
  c.set('renderingShared', true);
  try {
    await next();
  } finally {
    c.set('renderingShared', false);
  }
}

/**
 * The signed-in account even on a cacheable page, for a response that is this reader's alone: the response
 * is marked `private, no-store`, so the cache neither keeps nor shares it.
 */
export function personalUser(c: AnyContext): User | undefined {
  const user = c.get('user');
  if (user) c.header('Cache-Control', 'private, no-store');
  return user;
}

/** The session of this request, when it came with a session cookie (not an API token). */
export function currentSession(c: AnyContext): SessionRow | undefined {
  const credential = c.get('credential');
  return credential?.via === 'session' ? credential.session : undefined;
}

/** Whether this request was authenticated by an API token: such requests need no CSRF token. */
export function isTokenAuthenticated(c: AnyContext): boolean {
  return c.get('credential')?.via === 'api-token';
}

/** A root-relative path that is safe to redirect to after signing in (never another site), else '/'. */
export function safeNextPath(next: string | undefined): string {
  if (!next || next.length > 2000 || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f]/.test(next)) return '/';
  return next;
}

/** The sign-in page's address, coming back to `next` afterwards. */
export function signInUrl(next?: string): string {
  const back = safeNextPath(next);
  return back === '/' ? SIGN_IN_PATH : `${SIGN_IN_PATH}?next=${encodeURIComponent(back)}`;
}

/**
 * The signed-in account, or the request ends here: a 401 JSON error under /api, a redirect to the sign-in
 * page (and back) for a page, a 401 page for a form sent while signed out.
 */
export function requireUser(c: AnyContext): User {
  const user = currentUser(c);
  if (user) return user;
  const path = new URL(c.req.url);
  let res: Response | Promise<Response>;
  if (TOKEN_PATHS.test(c.req.path)) {
    res = c.json({ error: { status: 401, title: 'Unauthorized', message: 'Sign in, or send a personal API token as `Authorization: Bearer pb_…`.' } }, 401);
  } else if (c.req.method === 'GET' || c.req.method === 'HEAD') {
    res = c.redirect(signInUrl(path.pathname + path.search), 303);
  } else {
    res = errorResponse(c, 401, 'You were signed out. Sign in and try again.', 'Please sign in', { href: SIGN_IN_PATH, label: 'Sign in' });
  }
  throw endWith(res);
}

/**
 * Thrown by `requireUser`, `requireAdmin` and `ownedOr404` to end a request with the answer they made;
 * app.ts's error handler sends it. A handler can simply call them and go on with the value they return.
 */
export class RequestEnded extends Error {
  constructor(readonly response: Response | Promise<Response>) {
    super('request ended');
  }
}

function endWith(res: Response | Promise<Response>): RequestEnded {
  return new RequestEnded(res);
}

/** An active admin account, or 401 (signed out) / 403 (a member). */
export function requireAdmin(c: AnyContext): User {
  const user = requireUser(c);
  if (isAdmin(user)) return user;
  throw endWith(errorResponse(c, 403, 'Only administrators can do this.', 'Administrators only'));
}

/**
 * A private row as `Owned` when it is the signed-in reader's; for anyone else (signed out, another account)
 * a 404, exactly what an id that does not exist answers. Never 403: that would tell that it exists.
 */
export function ownedOr404<T extends { user_id: number }>(c: AnyContext, row: T | undefined): Owned<T> {
  const owned = ownedBy(currentUser(c), row);
  if (owned) return owned;
  throw endWith(errorResponse(c, 404));
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure (and `__Host-`) when PUBLIC_BASE_URL is https. */
export function setSessionCookie(c: Context, config: Pick<Config, 'publicBaseUrl'>, token: string): void {
  const secure = config.publicBaseUrl.startsWith('https:');
  setCookie(c, sessionCookieName(config), token, { path: '/', httpOnly: true, sameSite: 'Lax', secure, maxAge: SESSION_DAYS * 86400 });
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(c: Context, config: Pick<Config, 'publicBaseUrl'>): void {
  deleteCookie(c, sessionCookieName(config), { path: '/', secure: config.publicBaseUrl.startsWith('https:') });
}
