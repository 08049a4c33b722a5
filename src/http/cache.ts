/**
 * A short-lived in-memory cache of whole GET responses, so a busy list page is rendered once per few
 * seconds instead of once per request. Entries expire after `ttlMs` (an import run by the CLI in another
 * process shows up within that time); any non-GET request through this app clears the cache, so a change
 * made through the web shows at once. Bodies are kept gzipped too, and sent so to clients that accept it.
 */
import { gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { allowMathStyles } from './security.ts';

interface Entry {
  expires: number;
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
  gzipped: Uint8Array<ArrayBuffer>;
  mathStyles: boolean;
}

/** How long and how many responses to keep. */
export interface CacheOptions {
  ttlMs: number;
  maxEntries: number;
}

/**
 * The cache middleware, for public pages only: paths matching `paths`, requests without cookies or
 * credentials, and 200 responses that set no cookie and do not say private or no-store.
 */
export function responseCache({ ttlMs, maxEntries }: CacheOptions, paths: RegExp): MiddlewareHandler {
  const entries = new Map<string, Entry>();
  return async (c, next) => {
    if (c.req.method !== 'GET') {
      await next();
      if (c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS') entries.clear();
      return;
    }
    if (ttlMs <= 0 || !paths.test(c.req.path) || c.req.header('Cookie') || c.req.header('Authorization')) return next();
    const key = c.req.url;
    const gzip = /\bgzip\b/.test(c.req.header('Accept-Encoding') ?? '');
    const hit = entries.get(key);
    if (hit && hit.expires > Date.now()) {
      if (hit.mathStyles) allowMathStyles(c);
      const headers = new Headers(hit.headers);
      headers.set('Vary', 'Accept-Encoding');
      if (gzip) headers.set('Content-Encoding', 'gzip');
      c.res = new Response(gzip ? hit.gzipped : hit.body, { status: hit.status, headers });
      return;
    }
    await next();
    // Private answers (forms with a CSRF token, signed-link pages, admin) and ones that set cookies are never shared.
    if (c.res.status !== 200 || c.res.headers.has('Content-Encoding') || c.res.headers.has('Set-Cookie') || /no-store|private/.test(c.res.headers.get('Cache-Control') ?? '')) return;
    const body = new Uint8Array(await c.res.arrayBuffer());
    const entry: Entry = {
      expires: Date.now() + ttlMs,
      status: c.res.status,
      headers: [...c.res.headers.entries()].filter(([name]) => name !== 'content-length'),
      body,
      gzipped: new Uint8Array(gzipSync(body)),
      mathStyles: Boolean(c.get('mathStyles')),
    };
    // Oldest first out: a Map iterates in insertion order.
    entries.delete(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(key, entry);
    const headers = new Headers(entry.headers);
    headers.set('Vary', 'Accept-Encoding');
    if (gzip) headers.set('Content-Encoding', 'gzip');
    c.res = new Response(gzip ? entry.gzipped : body, { status: entry.status, headers });
  };
}
