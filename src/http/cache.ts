/**
 * A short-lived in-memory cache of whole GET responses, so a busy list page is rendered once per few
 * seconds instead of once per request. Entries expire after `ttlMs` (an import run by the CLI in another
 * process shows up within that time); any non-GET request through this app clears the cache, so a change
 * made through the web shows at once. Bodies are kept gzipped too, and sent so to clients that accept it;
 * compression runs on zlib's thread pool and only when first needed, so a miss costs the event loop the
 * render alone.
 *
 * Signed-in readers share the same entries: a page is always rendered as for an anonymous reader (while it
 * renders, `currentUser` answers nobody — see auth.ts#renderingShared), so no handler can leak one reader's
 * state into a shared page by forgetting a rule. What differs per reader is marked as user slots
 * (user-slots.tsx); an entry keeps its page cut at them, as text and as separately compressed parts
 * (gzip-parts.ts), and a signed-in request gets the shared parts with its own fragments in between — no
 * rendering, scanning or recompressing of the page. Requests with an Authorization header (API tokens, the
 * admin token) are never cached.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { currentUser, renderingShared } from './auth.ts';
import { csrfCookieMissing, csrfToken } from './csrf.ts';
import { type GzipPart, gzipPart, joinGzipParts, storedPart } from './gzip-parts.ts';
import { allowMathStyles } from './security.ts';
import { hasUserSlots, renderSlots, type SlotPlace, splitAtSlots } from './user-slots.tsx';

interface Entry {
  expires: number;
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
  /** The compressed body, made by the first request that accepts gzip. */
  gzipped?: Promise<Buffer>;
  mathStyles: boolean;
  /** The page cut at its user slots, when it has any: what signed-in readers get, with their fragments. */
  slotted?: { texts: Buffer[]; gzipTexts?: Promise<GzipPart[]>; slots: SlotPlace[] };
}

const gzipAsync = promisify(gzipCallback);

/** How long and how many responses to keep. */
export interface CacheOptions {
  ttlMs: number;
  maxEntries: number;
}

/**
 * The cache middleware, for public pages only: paths matching `paths`, requests without an Authorization
 * header, and 200 responses that set no cookie and do not say private or no-store. `deps` is what user
 * slots render with.
 */
export function responseCache({ ttlMs, maxEntries }: CacheOptions, paths: RegExp, deps?: { db: Db; config: Config }): MiddlewareHandler {
  const entries = new Map<string, Entry>();
  return async (c, next) => {
    if (c.req.method !== 'GET') {
      await next();
      if (c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS' && !c.get('sharedPagesUnchanged')) entries.clear();
      return;
    }
    if (ttlMs <= 0 || !paths.test(c.req.path) || c.req.header('Authorization')) return next();
    const key = c.req.url;
    const gzip = /\bgzip\b/.test(c.req.header('Accept-Encoding') ?? '');
    const hit = entries.get(key);
    if (hit && hit.expires > Date.now()) return send(c, hit, gzip, deps);
    await renderingShared(c, next);
    // Private answers (forms with a CSRF token, signed-link pages, admin) and ones that set cookies are never shared.
    if (c.res.status !== 200 || c.res.headers.has('Content-Encoding') || c.res.headers.has('Set-Cookie') || /no-store|private/.test(c.res.headers.get('Cache-Control') ?? '')) return;
    const body = new Uint8Array(await c.res.arrayBuffer());
    const entry: Entry = {
      expires: Date.now() + ttlMs,
      status: c.res.status,
      headers: [...c.res.headers.entries()].filter(([name]) => name !== 'content-length'),
      body,
      mathStyles: Boolean(c.get('mathStyles')),
      slotted: /text\/html/.test(c.res.headers.get('Content-Type') ?? '') ? slottedPage(Buffer.from(body).toString('utf8')) : undefined,
    };
    // Oldest first out: a Map iterates in insertion order.
    entries.delete(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(key, entry);
    await send(c, entry, gzip, deps);
  };
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by `sharedPagesUnchanged`: this state change leaves the cached pages as they are. */
    sharedPagesUnchanged?: boolean;
  }
}

/**
 * Says that this state-changing request changes nothing a shared page shows (signing in, a session revoked,
 * an API token made), so the cache is kept rather than cleared as after any other POST.
 */
export function sharedPagesUnchanged(c: Context): void {
  c.set('sharedPagesUnchanged', true);
}

function slottedPage(html: string): Entry['slotted'] {
  if (!hasUserSlots(html)) return undefined;
  const page = splitAtSlots(html);
  if (page.slots.length === 0) return undefined;
  return { texts: page.texts.map((t) => Buffer.from(t)), slots: page.slots };
}

/** Answers from an entry: the shared bytes, or for a signed-in reader of a page with slots, the shared parts around their fragments. */
async function send(c: Context, entry: Entry, gzip: boolean, deps: { db: Db; config: Config } | undefined): Promise<void> {
  if (entry.mathStyles) allowMathStyles(c);
  const headers = new Headers(entry.headers);
  headers.set('Vary', 'Accept-Encoding');
  if (gzip) headers.set('Content-Encoding', 'gzip');
  const user = currentUser(c);
  if (!user || !entry.slotted || !deps) {
    const body = gzip ? await (entry.gzipped ??= gzipAsync(entry.body)) : entry.body;
    c.res = new Response(body as Uint8Array<ArrayBuffer>, { status: entry.status, headers });
    return;
  }
  const slotted = entry.slotted;
  const fragments = (await renderSlots(c, deps, user, slotted.slots)).map((f) => Buffer.from(f));
  let body: Buffer;
  if (gzip) {
    const gzipTexts = await (slotted.gzipTexts ??= Promise.all(slotted.texts.map((t) => gzipPart(t))));
    body = joinGzipParts(gzipTexts.flatMap((t, i) => (i < fragments.length ? [t, storedPart(fragments[i])] : [t])));
  } else {
    body = Buffer.concat(slotted.texts.flatMap((t, i) => (i < fragments.length ? [t, fragments[i]] : [t])));
  }
  c.set('slotsFilled', true);
  headers.set('Cache-Control', 'private, no-store');
  c.res = new Response(body as Uint8Array<ArrayBuffer>, { status: entry.status, headers });
  // A fragment's csrfToken() ran before this response existed: a visitor cookie it issued goes on this one.
  if (c.get('csrfVisitor') && csrfCookieMissing(c)) csrfToken(c);
}
