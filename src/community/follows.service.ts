/**
 * Follows: a reader follows authors, organizations and categories (or whole archives), and the Following
 * page lists their papers, newest first, through the paper filter's `followedBy` — so `?hide=read` and the
 * list filters work there as on every list. What one follows is private to the account.
 */
import type { User } from '../accounts/user.ts';
import { type Db, quickReads } from '../db/database.ts';
import { categoryKey, type PaperFilter } from '../filter/paper-filter.ts';
import type { ListPage } from '../listings/listings.service.ts';
import { listPaperIds } from '../listings/listings.repo.ts';
import { getPapers } from '../papers/papers.repo.ts';
import * as repo from './follows.repo.ts';

/** How many things one account may follow (each is a lookup in every Following query). */
export const MAX_FOLLOWS = 500;

/** A category or archive name, as list filters accept it (`cs.LG`, `hep-th`, `cs`). */
export const CATEGORY_NAME = /^[A-Za-z][A-Za-z0-9-]{0,30}(\.[A-Za-z0-9-]{1,30})?$/;

/** What a reader asks to follow: an author by id, an organization by slug or name, a category or archive. */
export type FollowTarget = { author: number } | { organization: string } | { category: string };

/** A follow as pages and the API show it. */
export type FollowView = { kind: 'author'; id: number; name: string } | { kind: 'organization'; slug: string; name: string } | { kind: 'category'; category: string };

/** What became of a follow: done (and whether it is new), nothing by that name, or the account follows too much already. */
export type FollowOutcome = { status: 'ok'; created: boolean; follow: FollowView } | { status: 'not-found' } | { status: 'too-many' };

/** The stored key and the shown form of a target, or undefined when it names nothing. */
async function resolve(db: Db['kysely'], target: FollowTarget): Promise<{ key: repo.FollowKey; view: FollowView } | undefined> {
  if ('author' in target) {
    const author = Number.isSafeInteger(target.author) && target.author > 0 && target.author <= 2 ** 31 - 1 ? await repo.findAuthor(db, target.author) : undefined;
    return author && { key: { authorId: author.id }, view: { kind: 'author', id: author.id, name: author.name } };
  }
  if ('organization' in target) {
    const org = target.organization.length <= 200 ? await repo.findOrganization(db, target.organization) : undefined;
    return org && { key: { organizationId: org.id }, view: { kind: 'organization', slug: org.slug, name: org.name } };
  }
  const name = target.category.trim();
  if (!CATEGORY_NAME.test(name)) return undefined;
  const { key } = categoryKey(name);
  const category = (await repo.storedCategorySpelling(db, key)) ?? key;
  return { key: { category, categoryKey: key }, view: { kind: 'category', category } };
}

/** Follows an author, organization or category. */
export async function follow(db: Db, user: Pick<User, 'id'>, target: FollowTarget, now = new Date()): Promise<FollowOutcome> {
  return db.kysely.transaction().execute(async (trx): Promise<FollowOutcome> => {
    const found = await resolve(trx, target);
    if (!found) return { status: 'not-found' };
    const created = await repo.insertFollow(trx, user.id, found.key, now.toISOString());
    // Counted after the insert, in its transaction: two follows at once cannot both slip under the limit.
    if (created && (await repo.countFollows(trx, user.id)) > MAX_FOLLOWS) throw new TooManyFollows();
    return { status: 'ok', created, follow: found.view };
  }).catch((err) => {
    if (err instanceof TooManyFollows) return { status: 'too-many' } as const;
    throw err;
  });
}

/** Thrown inside the transaction to roll back a follow past the limit. */
class TooManyFollows extends Error {}

/** Stops following; `removed` is false when the account did not follow it. */
export async function unfollow(db: Db, user: Pick<User, 'id'>, target: FollowTarget): Promise<{ status: 'ok'; removed: boolean; follow: FollowView } | { status: 'not-found' }> {
  const found = await resolve(db.kysely, target);
  if (!found) return { status: 'not-found' };
  return { status: 'ok', removed: await repo.deleteFollow(db.kysely, user.id, found.key), follow: found.view };
}

/** Everything an account follows, in the order it was followed. */
export async function followsOf(db: Db, userId: number): Promise<FollowView[]> {
  return (await repo.followRows(db.kysely, userId)).flatMap((r): FollowView[] => {
    if (r.author_id !== null && r.author_name !== null) return [{ kind: 'author', id: r.author_id, name: r.author_name }];
    if (r.organization_slug !== null && r.organization_name !== null) return [{ kind: 'organization', slug: r.organization_slug, name: r.organization_name }];
    return r.category !== null ? [{ kind: 'category', category: r.category }] : [];
  });
}

/** Which of a page's authors, organizations and categories (any case; the answer holds their keys) the account follows. */
export async function followStateAmong(db: Db, userId: number, q: { authorIds: number[]; organizationSlugs: string[]; categories: string[] }) {
  const categoryKeys = q.categories.map((c) => categoryKey(c).key);
  const rows = await repo.followedAmong(quickReads(db), userId, { authorIds: q.authorIds, organizationSlugs: q.organizationSlugs, categoryKeys });
  return {
    authorIds: new Set(rows.flatMap((r) => (r.author_id !== null ? [r.author_id] : []))),
    organizationSlugs: new Set(rows.flatMap((r) => (r.organization_slug ? [r.organization_slug] : []))),
    categories: new Set(rows.flatMap((r) => (r.category_key ? [r.category_key] : []))),
  };
}

/** The Following list: papers of what the account follows, newest first, with the list's other filters. */
export async function followingListing(db: Db, userId: number, options: { page: number; perPage: number; filter?: PaperFilter }): Promise<ListPage> {
  const filter: PaperFilter = { ...options.filter, followedBy: userId };
  const { ids, total } = await listPaperIds(db, filter, 'newest', options.perPage, (options.page - 1) * options.perPage);
  return { papers: await getPapers(db.kysely, ids), total, page: options.page, pageCount: Math.max(1, Math.ceil(total / options.perPage)) };
}
