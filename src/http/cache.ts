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
 * rendering, scanning or recompressing of the page. Most slots hold the signed-in default too (a card's
 * unpressed buttons: `SlottedGzip`), so most of a signed-in page is shared compressed text. Requests with an
 * Authorization header (API tokens, the admin token) are never cached.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { currentUser, renderingShared } from './auth.ts';
import { csrfCookieMissing, csrfToken } from './csrf.ts';
import { combineGzipParts, type GzipPart, gzipPart, joinGzipParts, storedPart, WINDOW } from './gzip-parts.ts';
import { allowMathStyles } from './security.ts';
import { anonymousPage, hasUserSlots, memberDefault, planSlots, renderSlotFragments, type SlotPlace, type SlotPlan, splitAtSlots } from './user-slots.tsx';

interface Entry {
  expires: number;
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
  /** The compressed body, made by the first request that accepts gzip. */
  gzipped?: Promise<Buffer>;
  mathStyles: boolean;
  /** The page cut at its user slots, when it has any: what signed-in readers get, with their fragments. */
  slotted?: Slotted;
}

interface Slotted {
  texts: Buffer[];
  /** Per slot, what a signed-in reader sees where its `render` gives nothing. */
  defaults: Buffer[];
  slots: SlotPlace[];
  plan: SlotPlan;
  gzip?: Promise<SlottedGzip>;
}

/**
 * Each text compressed alone and followed by its slot's default (the last text alone), each both on its own
 * (`fresh`) and with the member page's text before it as dictionary (`after`: at most 32 KB, and nothing
 * before the last slot that has no default — the account menu, whose length differs per reader). A part may
 * use `after` where the reader's page has exactly that text before it: no fragment of theirs in it. Most
 * cards keep their defaults, so most of a signed-in page compresses about as well as the anonymous one.
 */
interface SlottedGzip {
  /** Made when a reader first has a fragment in the slot after the text (most cards never do). */
  alone: Map<number, Promise<{ fresh: GzipPart; after: GzipPart }>>;
  both(text: Buffer, i: number): Promise<{ fresh: GzipPart; after: GzipPart }>;
  withDefault: { fresh: GzipPart; after: GzipPart }[];
  /** Per text, where its dictionary starts, and per slot, where it ends (offsets in the member page). */
  dictionaryStarts: number[];
  slotEnds: number[];
  /**
   * `withDefault[i…]`'s `after` parts as one, by `i`: the rest of the page after a reader's last fragment
   * (most readers' is in the header), joined once instead of one part per card for every request. A few
   * starting points only (each is a copy of most of the page's compressed bytes).
   */
  tails: Map<number, GzipPart>;
}

const MAX_TAILS = 4;

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
  const rendering = new Map<string, Promise<Entry | undefined>>();
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
    // One render per page at a time: requests that miss while it renders wait for its entry (a popular page
    // expiring under load would otherwise be rendered, and its parts compressed, once per waiting request).
    const inFlight = rendering.get(key);
    if (inFlight) {
      const shared = await inFlight;
      if (shared) return send(c, shared, gzip, deps);
    }
    let settle!: (entry: Entry | undefined) => void;
    rendering.set(key, new Promise((resolve) => (settle = resolve)));
    let entry: Entry | undefined;
    try {
      await renderingShared(c, next);
      // Private answers (forms with a CSRF token, signed-link pages, admin) and ones that set cookies are never shared.
      if (c.res.status !== 200 || c.res.headers.has('Content-Encoding') || c.res.headers.has('Set-Cookie') || /no-store|private/.test(c.res.headers.get('Cache-Control') ?? '')) return;
      const html = /text\/html/.test(c.res.headers.get('Content-Type') ?? '') ? (bodyString(c.res) ?? (await c.res.text())) : undefined;
      const body = html === undefined ? new Uint8Array(await c.res.arrayBuffer()) : new Uint8Array(Buffer.from(anonymousPage(html)));
      entry = {
        expires: Date.now() + ttlMs,
        status: c.res.status,
        headers: [...c.res.headers.entries()].filter(([name]) => name !== 'content-length'),
        body,
        mathStyles: Boolean(c.get('mathStyles')),
        slotted: html === undefined ? undefined : slottedPage(html),
      };
      // Oldest first out: a Map iterates in insertion order.
      entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, entry);
    } finally {
      rendering.delete(key);
      settle(entry);
    }
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

/**
 * The body of a response made from a string, as that string: @hono/node-server's light Response keeps its
 * `[status, body, headers]` under a symbol named `cache` until something reads it as a stream. Reading it
 * through `text()` instead makes the full WHATWG Response (a USV-string check of the page, a stream, a
 * decode) — about a millisecond of a search page's main thread. Undefined for any other response.
 */
function bodyString(res: Response): string | undefined {
  for (const key of Object.getOwnPropertySymbols(res)) {
    if (key.description !== 'cache') continue;
    const cached = (res as unknown as Record<symbol, unknown>)[key];
    if (Array.isArray(cached) && typeof cached[1] === 'string') return cached[1];
  }
  return undefined;
}

function slottedPage(html: string): Entry['slotted'] {
  if (!hasUserSlots(html)) return undefined;
  const page = splitAtSlots(html);
  if (page.slots.length === 0) return undefined;
  return { texts: page.texts.map((t) => Buffer.from(t)), defaults: page.slots.map((p) => Buffer.from(memberDefault(p))), slots: page.slots, plan: planSlots(page.slots) };
}

async function compressSlotted(slotted: Slotted): Promise<SlottedGzip> {
  const { texts, defaults, slots } = slotted;
  const member = Buffer.concat(texts.flatMap((t, i) => (i < defaults.length ? [t, defaults[i]] : [t])));
  const dictionaryStarts: number[] = [];
  const slotEnds: number[] = [];
  let at = 0;
  let barrier = 0;
  texts.forEach((t, i) => {
    dictionaryStarts.push(Math.max(at - WINDOW, barrier));
    at += t.length + (i < defaults.length ? defaults[i].length : 0);
    if (i < slots.length) {
      slotEnds.push(at);
      if (slots[i].member === undefined) barrier = at;
    }
  });
  const starts = texts.map((_, i) => (i === 0 ? 0 : slotEnds[i - 1]));
  const both = async (text: Buffer, i: number) => {
    const [fresh, after] = await Promise.all([gzipPart(text), gzipPart(text, 6, member.subarray(dictionaryStarts[i], starts[i]))]);
    return { fresh, after };
  };
  const withDefault = await Promise.all(texts.map((t, i) => both(i < defaults.length ? Buffer.concat([t, defaults[i]]) : t, i)));
  return { alone: new Map(), both, withDefault, dictionaryStarts, slotEnds, tails: new Map() };
}

/** The compressed parts of a reader's page: `after` parts wherever their dictionary went out unchanged. */
async function joinSlotted(slotted: Slotted, parts: SlottedGzip, fragments: (Buffer | undefined)[]): Promise<Buffer> {
  // Plain loops, no closures: this runs for every signed-in request (bench:signed-in).
  let last = -1;
  let started: Promise<unknown>[] | undefined;
  for (let i = 0; i < fragments.length; i++) {
    if (fragments[i] === undefined) continue;
    last = i;
    if (!parts.alone.has(i)) {
      const made = parts.both(slotted.texts[i], i);
      parts.alone.set(i, made);
      (started ??= []).push(made);
    }
  }
  if (started) await Promise.all(started);
  const out: GzipPart[] = [];
  let changedUntil = 0; // where (in the member page) the reader's last fragment ended
  for (let i = 0; i < slotted.texts.length; i++) {
    const own = fragments[i];
    const after = changedUntil <= parts.dictionaryStarts[i];
    if (own !== undefined) {
      const alone = await parts.alone.get(i)!;
      out.push(after ? alone.after : alone.fresh, storedPart(own));
      changedUntil = parts.slotEnds[i];
    } else if (after && i > last) {
      // From here on every part is its `after` version (dictionaries only start later), the same for
      // every reader whose last fragment came before it.
      out.push(tail(parts, i));
      break;
    } else out.push(after ? parts.withDefault[i].after : parts.withDefault[i].fresh);
  }
  return joinGzipParts(out);
}

function tail(parts: SlottedGzip, from: number): GzipPart {
  const kept = parts.tails.get(from);
  if (kept) return kept;
  const run = combineGzipParts(parts.withDefault.slice(from).map((p) => p.after));
  if (parts.tails.size < MAX_TAILS) parts.tails.set(from, run);
  return run;
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
    // An entry is the page as anonymous readers get it, so there is nothing left for userSlotFiller to do
    // (reading the body back and scanning it cost ~1 ms a page) — unless a signed-in reader's slots are still to fill.
    if (!user || !entry.slotted) c.set('slotsFilled', true);
    return;
  }
  const slotted = entry.slotted;
  const fragments = (await renderSlotFragments(c, deps, user, slotted.slots, slotted.plan)).map((f) => (f === undefined ? undefined : Buffer.from(f)));
  let body: Buffer;
  if (gzip) {
    body = await joinSlotted(slotted, await (slotted.gzip ??= compressSlotted(slotted)), fragments);
  } else {
    const pieces: Buffer[] = [];
    for (let i = 0; i < slotted.texts.length; i++) {
      pieces.push(slotted.texts[i]);
      if (i < fragments.length) pieces.push(fragments[i] ?? slotted.defaults[i]);
    }
    body = Buffer.concat(pieces);
  }
  c.set('slotsFilled', true);
  headers.set('Cache-Control', 'private, no-store');
  c.res = new Response(body as Uint8Array<ArrayBuffer>, { status: entry.status, headers });
  // A fragment's csrfToken() ran before this response existed: a visitor cookie it issued goes on this one.
  if (c.get('csrfVisitor') && csrfCookieMissing(c)) csrfToken(c);
}
