/** The SQL of the paper lists: papers of a period, an author or an organization, filtered and sorted. */
import { type ExpressionBuilder, type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** How a list is ordered: by hotness, by upvotes, or newest listing first. */
export type ListingSort = 'trending' | 'upvotes' | 'newest';

/** Which papers a list holds; every field narrows it, and an empty filter is the whole store. */
export interface ListingFilter {
  /** Listing days, inclusive (YYYY-MM-DD). */
  from?: string;
  to?: string;
  /** Papers in any of these categories / in none of those. */
  categories?: string[];
  notCategories?: string[];
  /** Papers of any of these organizations (slugs) / of none of those. */
  organizations?: string[];
  notOrganizations?: string[];
  authorId?: number;
  /** Only these paper ids (search hits). */
  ids?: number[];
}

type PapersQuery = SelectQueryBuilder<Database, 'papers', object>;

/** Applies a filter to a query over `papers`: the one place list filters turn into SQL. */
function applyFilter<Q extends PapersQuery>(query: Q, f: ListingFilter): Q {
  let q = query as PapersQuery;
  if (f.from) q = q.where('papers.announced_on', '>=', f.from);
  if (f.to) q = q.where('papers.announced_on', '<=', f.to);
  if (f.ids) q = f.ids.length ? q.where('papers.id', 'in', f.ids) : q.where(sql<boolean>`1 = 0`);
  if (f.authorId !== undefined) {
    const authorId = f.authorId;
    q = q.where('papers.id', 'in', (eb) => eb.selectFrom('paper_authors').select('paper_id').where('author_id', '=', authorId));
  }
  // Correlated EXISTS, not `id IN (all papers of the category)`: each candidate row costs one primary-key
  // probe, where the IN list would first collect every paper of a big category (35k for cs.CV).
  const inCategories = (cats: string[]) => (eb: ExpressionBuilder<Database, 'papers'>) =>
    eb.exists(eb.selectFrom('paper_categories').select('paper_categories.paper_id').whereRef('paper_categories.paper_id', '=', 'papers.id').where('paper_categories.category', 'in', cats));
  const categories = f.categories;
  const notCategories = f.notCategories;
  if (categories?.length) q = q.where((eb) => inCategories(categories)(eb));
  if (notCategories?.length) q = q.where((eb) => eb.not(inCategories(notCategories)(eb)));
  const orgIds = (slugs: string[]) => (eb: ExpressionBuilder<Database, 'papers'>) => eb.selectFrom('organizations').select('id').where('slug', 'in', slugs);
  if (f.organizations?.length) q = q.where('papers.organization_id', 'in', orgIds(f.organizations));
  if (f.notOrganizations?.length) {
    const slugs = f.notOrganizations;
    q = q.where((eb) => eb.or([eb('papers.organization_id', 'is', null), eb('papers.organization_id', 'not in', orgIds(slugs))]));
  }
  return q as Q;
}

/** One page of paper ids matching a filter, in the given order, and how many match in all. */
export async function listPaperIds(
  db: Kysely<Database>,
  filter: ListingFilter,
  sort: ListingSort,
  limit: number,
  offset: number,
): Promise<{ ids: number[]; total: number }> {
  let query = applyFilter(db.selectFrom('papers').select('papers.id'), filter);
  if (sort === 'trending') query = query.orderBy('papers.hotness', 'desc');
  else if (sort === 'upvotes') query = query.orderBy('papers.upvotes', 'desc').orderBy('papers.hotness', 'desc');
  else query = query.orderBy('papers.announced_on', (ob) => ob.desc().nullsLast());
  const rows = await query.orderBy('papers.id', 'desc').limit(limit).offset(offset).execute();
  const { n } = await applyFilter(db.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')), filter).executeTakeFirstOrThrow();
  return { ids: rows.map((r) => r.id), total: Number(n) };
}

/** A category or organization with how many papers of a list carry it. */
export interface Facet {
  value: string;
  label: string;
  count: number;
}

/** The most frequent categories among the papers of a listing-day range. */
export async function categoryFacets(db: Kysely<Database>, from: string, to: string, limit = 15): Promise<Facet[]> {
  const rows = await db
    .selectFrom('paper_categories')
    .innerJoin('papers', 'papers.id', 'paper_categories.paper_id')
    .select(['paper_categories.category', (eb) => eb.fn.countAll<number>().as('n')])
    .where('papers.announced_on', '>=', from)
    .where('papers.announced_on', '<=', to)
    .groupBy('paper_categories.category')
    .orderBy('n', 'desc')
    .orderBy('paper_categories.category')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ value: r.category, label: r.category, count: Number(r.n) }));
}

/** The organizations with most papers in a listing-day range. */
export async function organizationFacets(db: Kysely<Database>, from: string, to: string, limit = 15): Promise<Facet[]> {
  const rows = await db
    .selectFrom('papers')
    .innerJoin('organizations', 'organizations.id', 'papers.organization_id')
    .select(['organizations.slug', 'organizations.name', (eb) => eb.fn.countAll<number>().as('n')])
    .where('papers.announced_on', '>=', from)
    .where('papers.announced_on', '<=', to)
    .groupBy(['organizations.slug', 'organizations.name'])
    .orderBy('n', 'desc')
    .orderBy('organizations.slug')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ value: r.slug, label: r.name, count: Number(r.n) }));
}

/** The nearest listing days with papers before `from` and after `to` (undefined at either end of the store). */
export async function neighbourDays(db: Kysely<Database>, from: string, to: string): Promise<{ prev?: string; next?: string }> {
  const prev = await db.selectFrom('papers').select('announced_on').where('announced_on', '<', from).orderBy('announced_on', 'desc').limit(1).executeTakeFirst();
  const next = await db.selectFrom('papers').select('announced_on').where('announced_on', '>', to).orderBy('announced_on', 'asc').limit(1).executeTakeFirst();
  return { prev: prev?.announced_on ?? undefined, next: next?.announced_on ?? undefined };
}

/** The first and last listing days in the store, or undefined when no paper has one. */
export async function listingBounds(db: Kysely<Database>): Promise<{ first: string; last: string } | undefined> {
  const first = await db.selectFrom('papers').select('announced_on').where('announced_on', 'is not', null).orderBy('announced_on', 'asc').limit(1).executeTakeFirst();
  const last = await db.selectFrom('papers').select('announced_on').where('announced_on', 'is not', null).orderBy('announced_on', 'desc').limit(1).executeTakeFirst();
  return first?.announced_on && last?.announced_on ? { first: first.announced_on, last: last.announced_on } : undefined;
}

/** Every listing day with its paper count, newest first: the archive's raw material. */
export async function countsByDay(db: Kysely<Database>): Promise<{ day: string; count: number }[]> {
  const rows = await db
    .selectFrom('papers')
    .select(['announced_on', (eb) => eb.fn.countAll<number>().as('n')])
    .where('announced_on', 'is not', null)
    .groupBy('announced_on')
    .orderBy('announced_on', 'desc')
    .execute();
  return rows.map((r) => ({ day: r.announced_on!, count: Number(r.n) }));
}

/** An author by id, with the number of papers they are on. */
export async function findAuthor(db: Kysely<Database>, id: number): Promise<{ id: number; name: string; paperCount: number } | undefined> {
  const author = await db.selectFrom('authors').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  if (!author) return undefined;
  const { n } = await db.selectFrom('paper_authors').select((eb) => eb.fn.countAll<number>().as('n')).where('author_id', '=', id).executeTakeFirstOrThrow();
  return { ...author, paperCount: Number(n) };
}

/** How many of an author's latest papers the co-author list looks at: bounded work for prolific names. */
export const COAUTHOR_WINDOW = 100;

/** The people an author has most papers with, among their latest COAUTHOR_WINDOW papers. */
export async function frequentCoauthors(db: Kysely<Database>, authorId: number, limit = 10): Promise<{ id: number; name: string; count: number }[]> {
  const latest = db
    .selectFrom('paper_authors')
    .select('paper_id')
    .where('author_id', '=', authorId)
    .orderBy('paper_id', 'desc')
    .limit(COAUTHOR_WINDOW);
  const rows = await db
    .selectFrom('paper_authors as theirs')
    .innerJoin('authors', 'authors.id', 'theirs.author_id')
    .select(['authors.id', 'authors.name', (eb) => eb.fn.countAll<number>().as('n')])
    .where('theirs.paper_id', 'in', latest)
    .where('theirs.author_id', '!=', authorId)
    .groupBy(['authors.id', 'authors.name'])
    .orderBy('n', 'desc')
    .orderBy('authors.name')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, count: Number(r.n) }));
}

/** An organization by slug, with its paper count. */
export async function findOrganization(db: Kysely<Database>, slug: string): Promise<{ id: number; slug: string; name: string; paperCount: number } | undefined> {
  const org = await db.selectFrom('organizations').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
  if (!org) return undefined;
  const { n } = await db.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', org.id).executeTakeFirstOrThrow();
  return { ...org, paperCount: Number(n) };
}

/** Which of the given papers pass a filter (the search page narrows its hits with it). */
export async function filterPaperIds(db: Kysely<Database>, filter: ListingFilter): Promise<Set<number>> {
  const rows = await applyFilter(db.selectFrom('papers').select('papers.id'), filter).execute();
  return new Set(rows.map((r) => r.id));
}
