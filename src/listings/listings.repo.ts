/**
 * The SQL of the paper lists beyond the paper filter (src/filter/): facets, neighbouring and latest listing
 * days, the archive, authors and organizations. Listing days are read through `validDays`, so a malformed
 * value that reached the store (`<script>`, `2026-13-45`, `9999-12-31`) never becomes a day a page shows.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { isFiltered, type PaperFilter } from '../filter/paper-filter.ts';
import { countFilteredPapers, type FilterDb, filteredPaperIds, type PaperOrder, paperFilterSql, planFilter } from '../filter/paper-filter.repo.ts';
import { isListingDay, latestPossibleListingDay } from './period.ts';

/** How a list is ordered: by hotness, by upvotes, or newest listing first. */
export type ListingSort = 'trending' | 'upvotes' | 'newest';

const ORDER: Record<ListingSort, PaperOrder> = { trending: 'hotness', upvotes: 'upvotes', newest: 'newest' };

/** One page of paper ids passing a filter, in the given order, and how many pass in all. */
export async function listPaperIds(db: Db, filter: PaperFilter, sort: ListingSort, limit: number, offset: number): Promise<{ ids: number[]; total: number }> {
  const plan = await planFilter(db, filter);
  const [ids, total] = await Promise.all([filteredPaperIds(db, filter, ORDER[sort], limit, offset, plan), countFilteredPapers(db, filter, plan)]);
  return { ids, total };
}

/** A category or organization with how many papers of a list carry it (-1 when that is not counted). */
export interface Facet {
  value: string;
  label: string;
  count: number;
}

/** Joins the papers a filter selects; nothing for the whole store, whose counts need no join. */
const scopeJoin = (db: FilterDb, scope: PaperFilter, paperId: RawBuilder<unknown>) =>
  isFiltered(scope) ? sql`INNER JOIN papers ON papers.id = ${paperId} WHERE ${paperFilterSql(scope, db.dialect)}` : sql``;

/** The most frequent categories among the papers a filter selects (`{}`: the whole store). */
export async function categoryFacets(db: FilterDb, scope: PaperFilter, limit = 15): Promise<Facet[]> {
  const { rows } = await sql<{ category: string; n: number }>`SELECT pc.category AS category, count(*) AS n FROM paper_categories pc
    ${scopeJoin(db, scope, sql.ref('pc.paper_id'))}
    GROUP BY pc.category ORDER BY n DESC, pc.category LIMIT ${limit}`.execute(db.kysely);
  return rows.map((r) => ({ value: r.category, label: r.category, count: Number(r.n) }));
}

/** The organizations with most papers among those a filter selects (`{}`: the whole store), by slug, under their names. */
export async function organizationFacets(db: FilterDb, scope: PaperFilter, limit = 15): Promise<Facet[]> {
  const { rows } = await sql<{ slug: string; name: string; n: number }>`SELECT o.slug AS slug, o.name AS name, count(*) AS n
    FROM organizations o INNER JOIN papers ON papers.organization_id = o.id
    WHERE ${paperFilterSql(scope, db.dialect)}
    GROUP BY o.slug, o.name ORDER BY n DESC, o.slug LIMIT ${limit}`.execute(db.kysely);
  return rows.map((r) => ({ value: r.slug, label: r.name, count: Number(r.n) }));
}

/** Listing days as stored, keeping only real ones: the one gate every day-reading query goes through. */
function validDays<T extends { announced_on: string | null }>(rows: T[], now: Date): (T & { announced_on: string })[] {
  return rows.filter((r): r is T & { announced_on: string } => r.announced_on !== null && isListingDay(r.announced_on, now));
}

/** How many distinct stored days a nearest-day query looks at before giving up on malformed ones. */
const DAY_PROBE = 20;

/** The nearest listing day with papers before (after) `day` — or on it, when `inclusive` — skipping malformed stored values. */
async function nearestDay(db: Kysely<Database>, day: string, direction: 'before' | 'after', now: Date, inclusive = false): Promise<string | undefined> {
  const op = direction === 'before' ? (inclusive ? '<=' : '<') : inclusive ? '>=' : '>';
  const rows = await db
    .selectFrom('papers')
    .select('announced_on')
    .distinct()
    .where('announced_on', op, day)
    .where('announced_on', '<=', latestPossibleListingDay(now))
    .orderBy('announced_on', direction === 'before' ? 'desc' : 'asc')
    .limit(DAY_PROBE)
    .execute();
  return validDays(rows, now)[0]?.announced_on;
}

/** The nearest listing days with papers before `from` and after `to` (undefined at either end of the store). */
export async function neighbourDays(db: Kysely<Database>, from: string, to: string, now = new Date()): Promise<{ prev?: string; next?: string }> {
  return { prev: await nearestDay(db, from, 'before', now), next: await nearestDay(db, to, 'after', now) };
}

/**
 * The newest listing day that has papers, on or before `onOrBefore` (default: the latest possible day): what
 * the home page shows and the digest prepares. A typo like 9999-12-31 is not a day and never wins.
 */
export async function latestListingDay(db: Kysely<Database>, now = new Date(), onOrBefore = latestPossibleListingDay(now)): Promise<string | undefined> {
  return nearestDay(db, onOrBefore, 'before', now, true);
}

/** The first listing day that has papers. */
export async function firstListingDay(db: Kysely<Database>, now = new Date()): Promise<string | undefined> {
  return nearestDay(db, '1990-01-01', 'after', now, true);
}

/** Every listing day with its paper count, newest first: the archive's raw material. */
export async function countsByDay(db: Kysely<Database>, now = new Date()): Promise<{ day: string; count: number }[]> {
  const rows = await db
    .selectFrom('papers')
    .select(['announced_on', (eb) => eb.fn.countAll<number>().as('n')])
    .where('announced_on', 'is not', null)
    .groupBy('announced_on')
    .orderBy('announced_on', 'desc')
    .execute();
  return validDays(rows, now).map((r) => ({ day: r.announced_on, count: Number(r.n) }));
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
