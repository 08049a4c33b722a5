/**
 * Search filters as SQL: conditions on a paper id column, each an `id IN (subquery)` over an indexed
 * table, so the keyword query, the vector candidates and the browse list all filter the same way.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { normalizeAuthorName, slugify } from '../papers/normalize.ts';
import type { SearchFilters } from './query.ts';

/**
 * The stored spellings a typed category may have. arXiv writes the archive in lower case and most
 * subject classes in upper case (`cs.LG`, `stat.ML`) but not all (`physics.optics`), so `cs.lg` is
 * tried as typed, in lower case and in the usual case.
 */
export function categorySpellings(value: string): string[] {
  const v = value.trim();
  const dot = v.indexOf('.');
  const usual = dot > 0 ? `${v.slice(0, dot).toLowerCase()}.${v.slice(dot + 1).toUpperCase()}` : v.toLowerCase();
  return [...new Set([v, v.toLowerCase(), usual])];
}

function categoryCondition(values: string[]): RawBuilder<boolean> {
  const parts = values.map((value) => {
    const v = value.trim();
    if (v.includes('.')) return sql<boolean>`category IN (${sql.join(categorySpellings(v))})`;
    // A whole archive: `cs` is `cs` itself and every `cs.*` (a range, so the category index is used).
    const archive = v.toLowerCase();
    return sql<boolean>`(category = ${archive} OR (category >= ${`${archive}.`} AND category < ${`${archive}/`}))`;
  });
  return sql<boolean>`(${sql.join(parts, sql` OR `)})`;
}

function papersInCategories(values: string[]): RawBuilder<number> {
  return sql<number>`SELECT paper_id FROM paper_categories WHERE ${categoryCondition(values)}`;
}

function papersOfOrganizations(values: string[]): RawBuilder<number> {
  const slugs = [...new Set(values.flatMap((v) => [v.trim().toLowerCase(), slugify(v)]))];
  const names = [...new Set(values.map((v) => v.trim().toLowerCase()))];
  return sql<number>`SELECT id FROM papers WHERE organization_id IN (
    SELECT id FROM organizations WHERE slug IN (${sql.join(slugs)}) OR lower(name) IN (${sql.join(names)}))`;
}

/** Papers with an author whose normalized name is the value, or ends with it (a surname: `lecun`, `van gool`). */
function papersOfAuthors(values: string[]): RawBuilder<number> {
  const norms = [...new Set(values.map(normalizeAuthorName).filter(Boolean))];
  if (norms.length === 0) return sql<number>`SELECT paper_id FROM paper_authors WHERE 1 = 0`;
  // Normalized names hold only [a-z0-9 ], so no LIKE wildcard can come from the user.
  const like = norms.map((n) => sql<boolean>`name_norm LIKE ${`% ${n}`}`);
  return sql<number>`SELECT paper_id FROM paper_authors WHERE author_id IN (
    SELECT id FROM authors WHERE name_norm IN (${sql.join(norms)}) OR ${sql.join(like, sql` OR `)})`;
}

/** SQL conditions restricting `id` (an expression naming a paper id) to the filters; empty when unfiltered. */
export function filterConditions(filters: SearchFilters, id: RawBuilder<unknown>): RawBuilder<boolean>[] {
  const out: RawBuilder<boolean>[] = [];
  if (filters.since || filters.until) {
    const bounds = [
      ...(filters.since ? [sql<boolean>`announced_on >= ${filters.since}`] : []),
      ...(filters.until ? [sql<boolean>`announced_on <= ${filters.until}`] : []),
    ];
    out.push(sql<boolean>`${id} IN (SELECT id FROM papers WHERE ${sql.join(bounds, sql` AND `)})`);
  }
  if (filters.categories?.length) out.push(sql<boolean>`${id} IN (${papersInCategories(filters.categories)})`);
  if (filters.excludeCategories?.length) out.push(sql<boolean>`${id} NOT IN (${papersInCategories(filters.excludeCategories)})`);
  if (filters.organizations?.length) out.push(sql<boolean>`${id} IN (${papersOfOrganizations(filters.organizations)})`);
  if (filters.excludeOrganizations?.length) out.push(sql<boolean>`${id} NOT IN (${papersOfOrganizations(filters.excludeOrganizations)})`);
  if (filters.authors?.length) out.push(sql<boolean>`${id} IN (${papersOfAuthors(filters.authors)})`);
  if (filters.excludeAuthors?.length) out.push(sql<boolean>`${id} NOT IN (${papersOfAuthors(filters.excludeAuthors)})`);
  return out;
}

/** `AND cond AND cond ...` to append to a WHERE clause, or nothing. */
export function andAll(conditions: RawBuilder<boolean>[]): RawBuilder<unknown> {
  return conditions.length ? sql`AND ${sql.join(conditions, sql` AND `)}` : sql``;
}

/** Of the given paper ids, those that pass the conditions (the check behind vector results). */
export async function idsPassing(db: Kysely<Database>, ids: number[], conditions: RawBuilder<boolean>[]): Promise<Set<number>> {
  if (ids.length === 0 || conditions.length === 0) return new Set(ids);
  const out = new Set<number>();
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    const { rows } = await sql<{ id: number }>`SELECT id FROM papers WHERE id IN (${sql.join(chunk)}) ${andAll(conditions)}`.execute(db);
    for (const r of rows) out.add(r.id);
  }
  return out;
}

/** Every paper id passing the conditions (candidates for an exact vector search under a filter). */
export async function allIdsPassing(db: Kysely<Database>, conditions: RawBuilder<boolean>[], limit: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`SELECT id FROM papers WHERE 1 = 1 ${andAll(conditions)} LIMIT ${limit}`.execute(db);
  return rows.map((r) => r.id);
}

/** Newest papers passing the conditions: what a query of filters alone lists. */
export async function newestPassing(db: Kysely<Database>, conditions: RawBuilder<boolean>[], limit: number, offset: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`SELECT id FROM papers WHERE 1 = 1 ${andAll(conditions)}
    ORDER BY announced_on DESC NULLS LAST, id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return rows.map((r) => r.id);
}
