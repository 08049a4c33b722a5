/**
 * CSRF protection for every state-changing request (double-submit cookie). A random token lives in an
 * HttpOnly, SameSite=Lax cookie; each form carries the same token in a hidden `_csrf` field (or a script sends
 * it as `X-CSRF-Token`), and an unsafe request (POST, PUT, PATCH, DELETE) whose two values differ is refused.
 * A page on another site can make the browser send the cookie, but cannot read it to fill in the field.
 * Requests the browser marks `Sec-Fetch-Site: cross-site` are refused outright as a second line.
 *
 * Use: `app.use(csrfProtection({ exempt }))` once; in a form, `<input type="hidden" name={CSRF_FIELD} value={csrfToken(c)} />`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

declare module 'hono' {
  interface ContextVariableMap {
    /** This visitor's CSRF token, for hidden form fields. */
    csrfToken?: string;
  }
}

/** Name of the hidden form field that carries the token. */
export const CSRF_FIELD = '_csrf';
/** Name of the header a script can send the token in instead. */
export const CSRF_HEADER = 'X-CSRF-Token';
const COOKIE = 'paperboy_csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Options: which requests need no token (ones authenticated by a secret in the URL, like RFC 8058 one-click unsubscribe). */
export interface CsrfOptions {
  exempt?: (c: Context) => boolean;
}

/**
 * The token to put in this response's forms. The cookie is issued here, on first use, and the response is
 * marked `Cache-Control: private, no-store`: a page with a form is never shared through a cache, so one
 * visitor's token can never reach another.
 */
export function csrfToken(c: Context): string {
  const token = c.get('csrfToken');
  if (!token) throw new Error('csrf: csrfProtection() middleware is not installed');
  if (getCookie(c, COOKIE) !== token) {
    setCookie(c, COOKIE, token, { path: '/', httpOnly: true, sameSite: 'Lax', secure: new URL(c.req.url).protocol === 'https:' });
  }
  c.header('Cache-Control', 'private, no-store');
  return token;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function submittedToken(c: Context): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = c.req.header('Content-Type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return undefined;
  // parseBody caches: the handler reads the same parsed body afterwards.
  const value = (await c.req.parseBody())[CSRF_FIELD];
  return typeof value === 'string' ? value : undefined;
}

/** The middleware: makes a token available to `csrfToken`, and checks unsafe requests. */
export function csrfProtection(options: CsrfOptions = {}): MiddlewareHandler {
  return async (c, next) => {
    const existing = getCookie(c, COOKIE);
    const token = existing && TOKEN.test(existing) ? existing : randomBytes(32).toString('base64url');
    c.set('csrfToken', token);
    if (!SAFE.has(c.req.method) && !options.exempt?.(c)) {
      const crossSite = c.req.header('Sec-Fetch-Site') === 'cross-site';
      const sent = crossSite || !existing ? undefined : await submittedToken(c);
      if (!sent || !same(sent, existing!)) {
        return c.text('This form has expired or was sent from another site. Go back, reload the page and try again.', 403);
      }
    }
    await next();
  };
}
