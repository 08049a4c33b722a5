/**
 * CSRF protection for every state-changing request (POST, PUT, PATCH, DELETE), in two independent checks:
 *
 * 1. Where it comes from. A request the browser marks `Sec-Fetch-Site` other than `same-origin` (or `none`,
 *    the user's own action) is refused, and so is one whose `Origin` is neither the public origin
 *    (PUBLIC_BASE_URL) nor — for development on `http://localhost:3000` or `http://192.168.1.5:3000` — the
 *    request's own origin when that is localhost or an IP address, which no DNS record can rebind. Behind a
 *    proxy that rewrites Host, the browser's Origin is the public one, so PUBLIC_BASE_URL must be set there.
 * 2. A token the page had to be read to know. Each visitor gets a random id in an HttpOnly, SameSite=Lax
 *    cookie; forms carry HMAC(secret key, id) in a hidden `_csrf` field (or a script sends it as
 *    `X-CSRF-Token`). A page on another site can make the browser send the cookie, but cannot read the
 *    form; and a cookie it manages to plant (from a sibling subdomain, over plain http) comes without the
 *    signature of its id, which only the server can make.
 *
 * Use: `app.use(csrfProtection({ key, publicOrigin, exempt }))` once; in a form,
 * `<input type="hidden" name={CSRF_FIELD} value={csrfToken(c)} />`.
 */
import { isHttps } from './client-address.ts';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { isRebindingProofHost } from './security.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** This visitor's id (the cookie's value), which `csrfToken` signs. */
    csrfVisitor?: string;
    /** The visitor cookie as the request sent it, if valid (read once per request). */
    csrfCookie?: string;
    /** Signs a visitor id under the configured key (set by the middleware for `csrfToken`). */
    csrfSign?: (visitor: string) => string;
    /** The token `csrfToken` made for this request's visitor. */
    csrfSigned?: { visitor: string; token: string };
  }
}

/** Name of the hidden form field that carries the token. */
export const CSRF_FIELD = '_csrf';
/** Name of the header a script can send the token in instead. */
export const CSRF_HEADER = 'X-CSRF-Token';
const COOKIE = 'paperboy_csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const VISITOR = /^[A-Za-z0-9_-]{43}$/;
const REFUSED = 'This form has expired or was sent from another site. Go back, reload the page and try again.';

/** What the checks need. */
export interface CsrfOptions {
  /** Signs visitor ids (the secret key). */
  key: string;
  /** The site's public origin, `https://papers.example.org`: what browsers send as Origin behind a proxy. */
  publicOrigin: string;
  /** Requests that need no check: ones authenticated by a secret in the URL, like RFC 8058 one-click unsubscribe. */
  exempt?: (c: Context) => boolean;
}

function signature(key: string, visitor: string): string {
  return createHmac('sha256', key).update(`csrf\n${visitor}`).digest('base64url');
}

/**
 * `signature` under one key, remembering the last visitors' tokens: a signed-in page needs its reader's token
 * on every request, and the HMAC cost more than the rest of its forms. Bounded; the token is the same
 * whenever it is made, so forgetting one costs only its recomputation.
 */
function rememberingSigner(key: string): (visitor: string) => string {
  const tokens = new Map<string, string>();
  return (visitor) => {
    let token = tokens.get(visitor);
    if (token === undefined) {
      token = signature(key, visitor);
      if (tokens.size >= 10_000) tokens.delete(tokens.keys().next().value!);
      tokens.set(visitor, token);
    }
    return token;
  };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether Origin and Sec-Fetch-Site, where the browser sent them, say the request comes from our own pages. */
function fromOurPages(c: Context, publicOrigin: string): boolean {
  const site = c.req.header('Sec-Fetch-Site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = c.req.header('Origin');
  if (origin === undefined) return true; // older browsers and non-browser clients: the token alone decides
  if (origin === publicOrigin) return true;
  const own = new URL(c.req.url);
  return origin === own.origin && isRebindingProofHost(own.hostname);
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

/** The middleware: gives each visitor an id for `csrfToken`, and checks unsafe requests. */
export function csrfProtection(options: CsrfOptions): MiddlewareHandler {
  const publicOrigin = new URL(options.publicOrigin).origin;
  const sign = rememberingSigner(options.key);
  return async (c, next) => {
    const cookie = getCookie(c, COOKIE);
    const known = cookie !== undefined && VISITOR.test(cookie) ? cookie : undefined;
    c.set('csrfCookie', known);
    c.set('csrfVisitor', known ?? randomBytes(32).toString('base64url'));
    if (!SAFE.has(c.req.method) && !options.exempt?.(c)) {
      if (!known || !fromOurPages(c, publicOrigin)) return c.text(REFUSED, 403);
      const sent = await submittedToken(c);
      if (!sent || !same(sent, sign(known))) return c.text(REFUSED, 403);
    }
    c.set('csrfSign', sign);
    await next();
  };
}

/** Whether this visitor's id still has to be sent as a cookie (`csrfToken` does so). */
export function csrfCookieMissing(c: Context): boolean {
  return c.get('csrfCookie') !== c.get('csrfVisitor');
}

/**
 * The token to put in this response's forms. The visitor cookie is issued here, on first use, and the
 * response is marked `Cache-Control: private, no-store`: a page with a form is never shared through a
 * cache, so one visitor's token can never reach another.
 */
export function csrfToken(c: Context): string {
  const visitor = c.get('csrfVisitor');
  const sign = c.get('csrfSign');
  if (!visitor || !sign) throw new Error('csrf: csrfProtection() middleware is not installed');
  if (c.get('csrfCookie') !== visitor) {
    setCookie(c, COOKIE, visitor, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isHttps(c) });
  }
  c.header('Cache-Control', 'private, no-store');
  // Signed once per request: a signed-in page asks for it once per kind of slot it fills.
  const signed = c.get('csrfSigned');
  if (signed?.visitor === visitor) return signed.token;
  const token = sign(visitor);
  c.set('csrfSigned', { visitor, token });
  return token;
}
