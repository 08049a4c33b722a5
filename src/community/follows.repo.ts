/** The SQL of follows: which authors, organizations and categories an account follows, with their names. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** One stored follow with what it points at (the name of its author or organization). */
export interface FollowRow {
  id: number;
  author_id: number | null;
  author_name: string | null;
  organization_id: number | null;
  organization_slug: string | null;
  organization_name: string | null;
  category: string | null;
}

/** What a follow points at, by stored id or category key; exactly one is set. */
export type FollowKey = { authorId: number } | { organizationId: number } | { category: string; categoryKey: string };

/** An author's id and name, if it exists. */
export async function findAuthor(db: Kysely<Database>, id: number) {
  return db.selectFrom('authors').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

/** An organization by slug or, in any case, by name. */
export async function findOrganization(db: Kysely<Database>, slugOrName: string) {
  const value = slugOrName.trim();
  return db
    .selectFrom('organizations')
    .select(['id', 'slug', 'name'])
    .where((eb) => eb.or([eb('slug', '=', value.toLowerCase()), eb(eb.fn('lower', ['name']), '=', value.toLowerCase())]))
    .orderBy('id')
    .executeTakeFirst();
}

/** How many follows an account has. */
export async function countFollows(db: Kysely<Database>, userId: number): Promise<number> {
  const row = await db.selectFrom('follows').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Adds a follow; false when the account followed it already. */
export async function insertFollow(db: Kysely<Database>, userId: number, key: FollowKey, now: string): Promise<boolean> {
  const values = {
    user_id: userId,
    author_id: 'authorId' in key ? key.authorId : null,
    organization_id: 'organizationId' in key ? key.organizationId : null,
    category: 'category' in key ? key.category : null,
    category_key: 'categoryKey' in key ? key.categoryKey : null,
    created_at: now,
  };
  // Each kind has its own unique index; DO NOTHING without a target covers whichever one it is.
  const r = await db.insertInto('follows').values(values).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Removes a follow; false when there was none. */
export async function deleteFollow(db: Kysely<Database>, userId: number, key: FollowKey): Promise<boolean> {
  let q = db.deleteFrom('follows').where('user_id', '=', userId);
  if ('authorId' in key) q = q.where('author_id', '=', key.authorId);
  else if ('organizationId' in key) q = q.where('organization_id', '=', key.organizationId);
  else q = q.where('category_key', '=', key.categoryKey);
  return Number((await q.executeTakeFirst()).numDeletedRows) > 0;
}

/** Every follow of an account, in the order they were made. */
export async function followRows(db: Kysely<Database>, userId: number): Promise<FollowRow[]> {
  return db
    .selectFrom('follows')
    .leftJoin('authors', 'authors.id', 'follows.author_id')
    .leftJoin('organizations', 'organizations.id', 'follows.organization_id')
    .select(['follows.id', 'follows.author_id', 'authors.name as author_name', 'follows.organization_id', 'organizations.slug as organization_slug', 'organizations.name as organization_name', 'follows.category'])
    .where('follows.user_id', '=', userId)
    .orderBy('follows.id')
    .execute();
}

/** Which of the given authors, organizations (by slug) and category keys the account follows. */
export async function followedAmong(db: Kysely<Database>, userId: number, q: { authorIds: number[]; organizationSlugs: string[]; categoryKeys: string[] }) {
  if (!q.authorIds.length && !q.organizationSlugs.length && !q.categoryKeys.length) return [];
  return db
    .selectFrom('follows')
    .leftJoin('organizations', 'organizations.id', 'follows.organization_id')
    .select(['follows.author_id', 'organizations.slug as organization_slug', 'follows.category_key'])
    .where('follows.user_id', '=', userId)
    .where((eb) =>
      eb.or([
        ...(q.authorIds.length ? [eb('follows.author_id', 'in', q.authorIds)] : []),
        ...(q.organizationSlugs.length ? [eb('organizations.slug', 'in', q.organizationSlugs)] : []),
        ...(q.categoryKeys.length ? [eb('follows.category_key', 'in', q.categoryKeys)] : []),
      ]),
    )
    .execute();
}

/** How the store spells a category key (`math.ca` → `math.CA`), if any paper has it. */
export async function storedCategorySpelling(db: Kysely<Database>, key: string): Promise<string | undefined> {
  return (await db.selectFrom('paper_categories').select('category').where('category_key', '=', key).limit(1).executeTakeFirst())?.category;
}
