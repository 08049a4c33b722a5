/**
 * Per-reader parts of shared pages. A page is rendered once for everyone — what the response cache keeps —
 * and the few places that differ per signed-in reader (the account menu, a vote button's state) are marked
 * as slots: `<UserSlot slot={voteSlot} id="123">anonymous content</UserSlot>` writes
 * `<!--slot:vote:123-->anonymous content<!--/slot-->`. Anonymous readers get the page as it is (comments and
 * all); for a signed-in reader `fillUserSlots` asks each slot once for all its ids on the page (one query for
 * the votes of 50 cards, say) and puts the answers in place of the anonymous content.
 *
 * Safe by construction: page text is escaped (`<` is `&lt;`), so no imported or user-written string can open
 * a slot comment; slot names and ids are checked against a narrow pattern.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { User } from '../accounts/user.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { currentUser } from './auth.ts';

/** A kind of per-reader fragment. */
export interface UserSlotDefinition {
  /** Lower-case letters and dashes: what the marker says. */
  name: string;
  /**
   * The HTML for each id on the page, for this reader; an id left out keeps its member content (when the slot
   * has one) or else its anonymous content. Values are
   * inserted as they are: build them with JSX (escaped) and `String(...)`.
   */
  render(request: SlotRequest): Promise<Map<string, string>> | Map<string, string>;
}

/** What a slot's `render` gets: the request, the reader, the ids of this slot on the page, and the app's store and settings. */
export interface SlotRequest {
  c: Context;
  user: User;
  ids: string[];
  /** The kinds of slot on the page (a slot may serve others: the page's forms are needed only beside cards). */
  kinds: ReadonlySet<string>;
  db: Db;
  config: Config;
}

const NAME = /^[a-z][a-z-]{0,30}$/;
const ID = /^[A-Za-z0-9._-]{1,100}$/;
const MARKER = /<!--slot:([a-z][a-z-]{0,30}):([A-Za-z0-9._-]{1,100})-->([\s\S]*?)(?:<!--member-->([\s\S]*?))?<!--\/slot-->/g;
const slots = new Map<string, UserSlotDefinition>();

/** Registers a slot kind (once, at module load) and returns it for `<UserSlot slot=…>`. */
export function defineUserSlot(definition: UserSlotDefinition): UserSlotDefinition {
  if (!NAME.test(definition.name)) throw new Error(`user slot: bad name ${JSON.stringify(definition.name)}`);
  if (slots.has(definition.name) && slots.get(definition.name) !== definition) throw new Error(`user slot: ${definition.name} is defined twice`);
  slots.set(definition.name, definition);
  return definition;
}

/**
 * Marks a per-reader part of a page; `children` is what anonymous readers see, `member` (HTML, inserted as it
 * is) what signed-in readers see where the slot's `render` gives nothing.
 */
export function UserSlot({ slot, id = '-', member, children }: { slot: UserSlotDefinition; id?: string; member?: string; children?: Child }) {
  if (!ID.test(id)) throw new Error(`user slot ${slot.name}: bad id ${JSON.stringify(id)}`);
  return (
    <>
      {raw(`<!--slot:${slot.name}:${id}-->`)}
      {children}
      {member === undefined ? null : raw(`<!--member-->${member}`)}
      {raw('<!--/slot-->')}
    </>
  );
}

/** The page as an anonymous reader gets it: without the slots' member parts. */
export function anonymousPage(html: string): string {
  // By substring search: the lazy pattern /<!--member-->[\s\S]*?(?=<!--\/slot-->)/g cost ~1 ms on a 30-card page.
  let at = html.indexOf(MEMBER);
  if (at < 0) return html;
  let out = '';
  let from = 0;
  while (at >= 0) {
    const end = html.indexOf(SLOT_END, at);
    if (end < 0) break;
    out += html.slice(from, at);
    from = end;
    at = html.indexOf(MEMBER, end);
  }
  return out + html.slice(from);
}

const MEMBER = '<!--member-->';
const SLOT_END = '<!--/slot-->';

/** Whether an HTML document has slots to fill (cheap: a substring search). */
export function hasUserSlots(html: string): boolean {
  return html.includes('<!--slot:');
}

/** One slot as a page has it: which kind, which id, the anonymous content it holds and its member content, if any. */
export interface SlotPlace {
  name: string;
  id: string;
  anonymous: string;
  member?: string;
}

/** A page cut at its slots: `texts` has one more element than `slots` (text, slot, text, …, text). */
export interface SlottedPage {
  texts: string[];
  slots: SlotPlace[];
}

/** Cuts a page at its slots (markers of unknown kinds stay text). */
export function splitAtSlots(html: string): SlottedPage {
  const texts: string[] = [];
  const places: SlotPlace[] = [];
  let at = 0;
  for (const m of html.matchAll(MARKER)) {
    if (!slots.has(m[1])) continue;
    texts.push(html.slice(at, m.index));
    places.push({ name: m[1], id: m[2], anonymous: m[3], member: m[4] });
    at = m.index + m[0].length;
  }
  texts.push(html.slice(at));
  return { texts, slots: places };
}

/** What a signed-in reader sees in a slot that `render` left alone. */
export function memberDefault(place: SlotPlace): string {
  return place.member ?? place.anonymous;
}

/** A page's slots grouped by kind, as `render` is asked for them: made once per cached page (`planSlots`). */
export interface SlotPlan {
  groups: { slot: UserSlotDefinition; ids: string[] }[];
  kinds: ReadonlySet<string>;
}

/** Groups a page's slot places by kind (once per page: the response cache keeps it with the page). */
export function planSlots(places: SlotPlace[]): SlotPlan {
  const wanted = new Map<string, Set<string>>();
  for (const p of places) (wanted.get(p.name) ?? wanted.set(p.name, new Set()).get(p.name)!).add(p.id);
  return { groups: [...wanted].map(([name, ids]) => ({ slot: slots.get(name)!, ids: [...ids] })), kinds: new Set(wanted.keys()) };
}

/**
 * The reader's own HTML for each slot place, in order, or undefined where the slot keeps its member default:
 * one `render` call per slot kind on the page.
 */
export async function renderSlotFragments(c: Context, deps: { db: Db; config: Config }, user: User, places: SlotPlace[], plan = planSlots(places)): Promise<(string | undefined)[]> {
  const { groups, kinds } = plan;
  const filled = await Promise.all(groups.map(({ slot, ids }) => slot.render({ c, user, ids, kinds, ...deps })));
  const byName = new Map<string, Map<string, string>>();
  for (let g = 0; g < groups.length; g++) byName.set(groups[g].slot.name, filled[g]);
  return places.map((p) => byName.get(p.name)?.get(p.id));
}

/** The reader's HTML for each slot place, in order. */
export async function renderSlots(c: Context, deps: { db: Db; config: Config }, user: User, places: SlotPlace[]): Promise<string[]> {
  const fragments = await renderSlotFragments(c, deps, user, places);
  return places.map((p, i) => fragments[i] ?? memberDefault(p));
}

/** The page with every slot filled for `user`. */
export async function fillUserSlots(c: Context, deps: { db: Db; config: Config }, user: User, html: string): Promise<string> {
  const page = splitAtSlots(html);
  if (page.slots.length === 0) return html;
  const fragments = await renderSlots(c, deps, user, page.slots);
  return page.texts.map((t, i) => (i < fragments.length ? t + fragments[i] : t)).join('');
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by the response cache when it answered with a page whose slots it filled already. */
    slotsFilled?: boolean;
  }
}

/**
 * Middleware, installed after `authentication` and around the response cache: fills the slots of every HTML
 * page answered to a signed-in reader that the cache did not fill (pages it does not keep), and takes the
 * member parts out of one answered to an anonymous reader.
 */
export function userSlotFiller(deps: { db: Db; config: Config }): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const user = currentUser(c);
    if (c.get('slotsFilled') || c.res.headers.has('Content-Encoding') || !/text\/html/.test(c.res.headers.get('Content-Type') ?? '')) return;
    const html = await c.res.text();
    const filled = !hasUserSlots(html) ? html : user ? await fillUserSlots(c, deps, user, html) : anonymousPage(html);
    // Read after filling: a slot may have set headers (csrfToken's cookie and Cache-Control).
    const headers = new Headers(c.res.headers);
    headers.delete('Content-Length');
    c.res = new Response(filled, { status: c.res.status, headers });
  };
}
