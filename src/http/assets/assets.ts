/**
 * Static files Paperboy serves itself (no CDN): read once at start-up, fingerprinted for caching.
 * Our own stylesheet, script and icon live beside this file; KaTeX's stylesheet and fonts come from the
 * katex package, under /assets/katex.css and /assets/fonts/.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';

interface Asset {
  body: Uint8Array | string;
  type: string;
  hash: string;
}

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  woff2: 'font/woff2',
};

function asset(name: string, body: Uint8Array | string): Asset {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 10);
  return { body, type: TYPES[name.split('.').pop()!], hash };
}

const own = (name: string) => asset(name, readFileSync(new URL(name, import.meta.url), 'utf8'));

const katexDist = path.join(path.dirname(createRequire(import.meta.url).resolve('katex/package.json')), 'dist');
const FONTS = new Map(
  readdirSync(path.join(katexDist, 'fonts'))
    .filter((f) => f.endsWith('.woff2'))
    .map((f) => [f, asset(f, readFileSync(path.join(katexDist, 'fonts', f)))]),
);

/** KaTeX's stylesheet with only the woff2 fonts (every current browser reads them), each by fingerprinted URL. */
function katexCss(): Asset {
  const css = readFileSync(path.join(katexDist, 'katex.min.css'), 'utf8')
    .replace(/,url\(fonts\/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)/g, '')
    .replace(/url\(fonts\/([^)]+\.woff2)\)/g, (_, f: string) => `url(fonts/${f}?v=${FONTS.get(f)?.hash ?? ''})`);
  return asset('katex.css', css);
}

// Maps, not objects: a URL like /assets/constructor must not find Object.prototype members.
const ASSETS = new Map<string, Asset>([...['app.css', 'app.js', 'favicon.svg', 'subscriptions.css', 'accounts.css', 'sources.css', 'api.css', 'people.css'].map((name) => [name, own(name)] as const), ['katex.css', katexCss()]]);

/** The URL pages link an asset by; the `?v=` fingerprint changes with its content, so it can be cached for long. */
export function assetUrl(name: string): string {
  const found = ASSETS.get(name);
  if (!found) throw new Error(`assets: no asset named ${name}`);
  return `/assets/${name}?v=${found.hash}`;
}

function serve(c: import('hono').Context, found: Asset | undefined) {
  if (!found) return c.notFound();
  const etag = `"${found.hash}"`;
  const fingerprinted = c.req.query('v') === found.hash;
  c.header('Cache-Control', fingerprinted ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
  c.header('ETag', etag);
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
  c.header('Content-Type', found.type);
  return c.body(found.body as string);
}

/** Routes under /assets: long-lived caching for the fingerprinted URL, a short one otherwise, ETag either way. */
export const assetRoutes = new Hono()
  .get('/fonts/:name', (c) => serve(c, FONTS.get(c.req.param('name'))))
  .get('/:name', (c) => serve(c, ASSETS.get(c.req.param('name'))));
