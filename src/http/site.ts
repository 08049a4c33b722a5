/**
 * The site's public address (PUBLIC_BASE_URL) for the pages being rendered: canonical links, share tags
 * and citation tags must be absolute, and the shared layout is rendered by a dozen page functions that
 * should not each carry the config. The middleware keeps the address for the duration of one request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MiddlewareHandler } from 'hono';

const publicBase = new AsyncLocalStorage<string>();

/** Middleware: pages rendered while this request runs make their URLs absolute on `baseUrl`. */
export function sitePublicBase(baseUrl: string): MiddlewareHandler {
  return (_c, next) => publicBase.run(baseUrl, next);
}

/** A root-relative path as an absolute URL on PUBLIC_BASE_URL (an absolute URL, or any path outside a request, is returned as it is). */
export function siteUrl(path: string): string {
  const base = publicBase.getStore();
  return base && path.startsWith('/') ? base + path : path;
}
