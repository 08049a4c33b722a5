/** Static files Paperboy serves itself (no CDN): read once at start-up, fingerprinted for caching. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';

interface Asset {
  body: string;
  type: string;
  hash: string;
}

const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };

function load(name: string): Asset {
  const body = readFileSync(new URL(name, import.meta.url), 'utf8');
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 10);
  return { body, type: TYPES[name.split('.').pop()!], hash };
}

// A Map, not an object: a URL like /assets/constructor must not find Object.prototype members.
const ASSETS = new Map<string, Asset>(['app.css', 'favicon.svg'].map((name) => [name, load(name)]));

/** The URL pages link an asset by; the `?v=` fingerprint changes with its content, so it can be cached for long. */
export function assetUrl(name: string): string {
  const asset = ASSETS.get(name);
  if (!asset) throw new Error(`assets: no asset named ${name}`);
  return `/assets/${name}?v=${asset.hash}`;
}

/** Routes under /assets: long-lived caching for the fingerprinted URL, a short one otherwise, ETag either way. */
export const assetRoutes = new Hono().get('/:name', (c) => {
  const asset = ASSETS.get(c.req.param('name'));
  if (!asset) return c.notFound();
  const etag = `"${asset.hash}"`;
  const fingerprinted = c.req.query('v') === asset.hash;
  c.header('Cache-Control', fingerprinted ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
  c.header('ETag', etag);
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
  c.header('Content-Type', asset.type);
  return c.body(asset.body);
});
