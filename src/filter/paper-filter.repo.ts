/**
 * The paper filter as SQL: `paperFilterSql` compiles a PaperFilter (paper-filter.ts) into one condition for
 * SQLite or PostgreSQL, and the functions below run the questions every list asks of it (a page of ids in an
 * order, a count, which of some ids pass). Categories, archives and author surnames are matched through the
 * keys migration 0006 stores (plain equality, so no collation changes the answer); words through the keyword
 * index of the database (src/search/keyword-index.ts).
 */
import { type RawBuilder, sql } from 'kysely';
import type { Db, Dialect } from '../db/database.ts';
import { slugify } from '../papers/normalize.ts';
import { textSets } from '../search/fulltext.ts';
import { authorKeys, categoryKey, hasText, type PaperFilter } from './paper-filter.ts';

/** What the queries need of a database: the query builder (or a transaction) and its engine. */
export type FilterDb = Pick<Db, 'kysely' | 'dialect'>;

/**
 * Where the filtered paper's id is: `'papers'` when the outer query reads the `papers` table itself (its
 * columns are then used directly), or an expression naming a paper id (`papers_fts.rowid`, a join column).
 */
export type PaperRef = 'papers' | RawBuilder<unknown>;

const TRUE = sql<boolean>`1 = 1`;
const FALSE = sql<boolean>`1 = 0`;

function categoryMatch(values: string[]): RawBuilder<boolean> {
  const keys = values.map(categoryKey);
  const exact = keys.filter((k) => !k.archive).map((k) => k.key);
  const archives = keys.filter((k) => k.archive).map((k) => k.key);
  const parts = [
    ...(exact.length ? [sql<boolean>`category_key IN (${sql.join(exact)})`] : []),
    ...(archives.length ? [sql<boolean>`archive IN (${sql.join(archives)})`] : []),
  ];
  return parts.length ? sql<boolean>`(${sql.join(parts, sql` OR `)})` : FALSE;
}

function organizationIds(values: string[]): RawBuilder<number> {
  const slugs = [...new Set(values.flatMap((v) => [v.trim().toLowerCase(), slugify(v)]))];
  const names = [...new Set(values.map((v) => v.trim().toLowerCase()))];
  return sql<number>`SELECT id FROM organizations WHERE slug IN (${sql.join(slugs)}) OR lower(name) IN (${sql.join(names)})`;
}

/** Ids of authors whose normalized name is a value or ends with it as whole words (a surname: `lecun`, `van gool`). */
function authorIds(values: string[]): RawBuilder<number> | undefined {
  const keys = authorKeys(values);
  if (keys.length === 0) return undefined;
  // last_word narrows to an index range first; normalized names hold only [a-z0-9 ], so no LIKE wildcard can come from a user.
  // `name LIKE '% v'` implies the name's last word is v's, so one IN over the last words is exact and uses the index.
  const lasts = [...new Set(keys.map((k) => k.last))];
  const names = sql.join([sql<boolean>`name_norm IN (${sql.join(keys.map((k) => k.norm))})`, ...keys.map((k) => sql<boolean>`name_norm LIKE ${`% ${k.norm}`}`)], sql` OR `);
  return sql<number>`SELECT id FROM authors WHERE last_word IN (${sql.join(lasts)}) AND (${names})`;
}

const list = (ids: number[]) => (ids.length ? sql.join(ids) : sql`NULL`);
const papersOfAuthors = (ids: RawBuilder<number> | number[]) => sql<number>`SELECT paper_id FROM paper_authors WHERE author_id IN (${Array.isArray(ids) ? list(ids) : ids})`;
const papersOfOrganizations = (ids: RawBuilder<number> | number[]) => sql<number>`SELECT id FROM papers WHERE organization_id IN (${Array.isArray(ids) ? list(ids) : ids})`;

/** A set of paper ids the filter requires (`in`) or rules out (`out`), as a subquery. */
interface IdSet {
  name: string;
  sql: RawBuilder<number>;
  kind: 'in' | 'out';
  /** A cheaper per-paper test than collecting the set, where an index answers it (a paper's own categories). */
  probe?: (id: RawBuilder<unknown>) => RawBuilder<boolean>;
}

/** The filter's conditions other than the day range, each as a set of paper ids. */
function idSets(f: PaperFilter, dialect: Dialect): IdSet[] {
  const sets: IdSet[] = [];
  const add = (name: string, kind: IdSet['kind'], set: RawBuilder<number> | undefined) => set && sets.push({ name, kind, sql: set });
  if (f.ids) add('ids', 'in', sql<number>`SELECT id FROM papers WHERE id IN (${list(f.ids)})`);
  if (f.authorIds) add('authorIds', 'in', papersOfAuthors(f.authorIds));
  if (f.organizationIds) add('organizationIds', 'in', papersOfOrganizations(f.organizationIds));
  for (const [name, kind, values] of [['categories', 'in', f.categories], ['excludeCategories', 'out', f.excludeCategories]] as const) {
    if (!values?.length) continue;
    const match = categoryMatch(values);
    sets.push({
      name,
      kind,
      sql: sql<number>`SELECT paper_id FROM paper_categories WHERE ${match}`,
      probe: (id) => sql<boolean>`EXISTS (SELECT 1 FROM paper_categories pfc WHERE pfc.paper_id = ${id} AND ${match})`,
    });
  }
  if (f.organizations?.length) add('organizations', 'in', papersOfOrganizations(organizationIds(f.organizations)));
  if (f.excludeOrganizations?.length) add('excludeOrganizations', 'out', papersOfOrganizations(organizationIds(f.excludeOrganizations)));
  if (f.authors?.length) {
    const ids = authorIds(f.authors);
    add('authors', 'in', ids ? papersOfAuthors(ids) : sql<number>`SELECT id FROM papers WHERE 1 = 0`);
  }
  if (f.excludeAuthors?.length) add('excludeAuthors', 'out', authorIds(f.excludeAuthors) && papersOfAuthors(authorIds(f.excludeAuthors)!));
  if (hasText(f.text)) {
    const { matching, excluded } = textSets(dialect, f.text);
    add('text', 'in', matching);
    add('excludeText', 'out', excluded);
  }
  if (f.unseenBy !== undefined) {
    const user = f.unseenBy;
    sets.push({
      name: 'unseenBy',
      kind: 'out',
      sql: sql<number>`SELECT paper_id FROM reading_states WHERE user_id = ${user}`,
      // One primary-key lookup per paper the list walks.
      probe: (id) => sql<boolean>`EXISTS (SELECT 1 FROM reading_states prs WHERE prs.user_id = ${user} AND prs.paper_id = ${id})`,
    });
  }
  if (f.followedBy !== undefined) add('followedBy', 'in', followedPapers(f.followedBy));
  return sets;
}

/** The papers of what an account follows: its authors' and organizations' papers and those in its categories or archives. */
function followedPapers(user: number): RawBuilder<number> {
  const keys = sql`SELECT category_key FROM follows WHERE user_id = ${user} AND category_key IS NOT NULL`;
  return sql<number>`SELECT paper_id FROM paper_authors WHERE author_id IN (SELECT author_id FROM follows WHERE user_id = ${user} AND author_id IS NOT NULL)
    UNION SELECT id FROM papers WHERE organization_id IN (SELECT organization_id FROM follows WHERE user_id = ${user} AND organization_id IS NOT NULL)
    UNION SELECT paper_id FROM paper_categories WHERE category_key IN (${keys})
    UNION SELECT paper_id FROM paper_categories WHERE archive IN (${keys})`;
}

/**
 * How a list query should use each required set: the one set known to be small (`drive`: the database
 * starts from its ids) or membership only (`check`: the database walks its order or day index and tests
 * each paper against the set, collected once). Which is right depends on size: driving from `cat=cs`
 * (70k papers) sorts them all, while walking the whole store for a category nobody has finds nothing
 * slowly. See `planFilter`.
 */
export type FilterPlan = { drive?: string };

/** The filter as one SQL condition on the paper at `ref`; `1 = 1` when it restricts nothing. */
export function paperFilterSql(f: PaperFilter, dialect: Dialect, ref: PaperRef = 'papers', plan?: FilterPlan): RawBuilder<boolean> {
  const direct = ref === 'papers';
  const id = direct ? sql.ref('papers.id') : ref;
  const out: RawBuilder<boolean>[] = [];
  if (f.since || f.until) {
    const column = sql.ref(direct ? 'papers.announced_on' : 'announced_on');
    const bounds = [...(f.since ? [sql<boolean>`${column} >= ${f.since}`] : []), ...(f.until ? [sql<boolean>`${column} <= ${f.until}`] : [])];
    const range = sql<boolean>`${sql.join(bounds, sql` AND `)}`;
    out.push(direct ? range : sql<boolean>`${id} IN (SELECT id FROM papers WHERE ${range})`);
  }
  for (const set of idSets(f, dialect)) {
    const drives = !plan || !direct || plan.drive === set.name;
    // Probes correlate on the outer query's `papers.id`; under another reference the set is used as a whole.
    const probe = direct ? set.probe : undefined;
    if (set.kind === 'out') out.push(probe ? sql<boolean>`NOT ${probe(id)}` : sql<boolean>`${id} NOT IN (${set.sql})`);
    else if (drives) out.push(sql<boolean>`${id} IN (${set.sql})`);
    // A check: the paper's own index entries where there are some, else membership in the set collected once;
    // `+id` keeps the database from driving the query from it (SQLite's unary-plus idiom, harmless elsewhere).
    else out.push(probe ? probe(id) : sql<boolean>`+${id} IN (${set.sql})`);
  }
  return out.length === 0 ? TRUE : out.length === 1 ? out[0] : sql<boolean>`(${sql.join(out, sql` AND `)})`;
}

/** A required set with at most this many rows is worth starting a list query from. */
const SMALL_SET = 3000;

/**
 * Chooses how a list query over `papers` uses the filter's required sets: each set's size is probed with a
 * capped count (at most SMALL_SET index entries read), and the smallest small one drives; when none is
 * small, every set is a membership check while the database walks its order (or day) index.
 */
export async function planFilter(db: FilterDb, f: PaperFilter): Promise<FilterPlan> {
  const required = idSets(f, db.dialect).filter((s) => s.kind === 'in');
  if (required.length === 0) return {};
  let best: { name: string; n: number } | undefined;
  for (const set of required) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (${set.sql} LIMIT ${SMALL_SET + 1}) probe`.execute(db.kysely);
    const n = Number(rows[0]?.n ?? 0);
    if (n <= SMALL_SET && (!best || n < best.n)) best = { name: set.name, n };
  }
  return { drive: best?.name };
}

/** The orders a filtered list can come in; every one ends on the id, so pages never overlap. */
export type PaperOrder = 'hotness' | 'upvotes' | 'newest';

const ORDER: Record<PaperOrder, RawBuilder<unknown>> = {
  hotness: sql`papers.hotness DESC, papers.id DESC`,
  // Imported and local votes together, spelled as the papers_votes index is (migration 0011).
  upvotes: sql`(papers.upvotes + papers.local_votes) DESC, papers.hotness DESC, papers.id DESC`,
  newest: sql`papers.announced_on DESC NULLS LAST, papers.id DESC`,
};

/** One page of the ids of the papers that pass the filter, in the given order. */
export async function filteredPaperIds(db: FilterDb, f: PaperFilter, order: PaperOrder, limit: number, offset = 0, plan?: FilterPlan): Promise<number[]> {
  plan ??= await planFilter(db, f);
  const { rows } = await sql<{ id: number }>`SELECT papers.id AS id FROM papers WHERE ${paperFilterSql(f, db.dialect, 'papers', plan)}
    ORDER BY ${ORDER[order]} LIMIT ${limit} OFFSET ${offset}`.execute(db.kysely);
  return rows.map((r) => r.id);
}

/** How many papers pass the filter. */
export async function countFilteredPapers(db: FilterDb, f: PaperFilter, plan?: FilterPlan, cap?: number): Promise<number> {
  plan ??= await planFilter(db, f);
  const where = paperFilterSql(f, db.dialect, 'papers', plan);
  // With a cap the count stops there (a search says "more than 10,000" rather than scanning every match).
  const { rows } =
    cap === undefined
      ? await sql<{ n: number }>`SELECT count(*) AS n FROM papers WHERE ${where}`.execute(db.kysely)
      : await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM papers WHERE ${where} LIMIT ${cap}) capped`.execute(db.kysely);
  return Number(rows[0]?.n ?? 0);
}

/** Of the given paper ids, those that pass the filter (the check behind ranked search results). */
export async function idsPassing(db: FilterDb, f: PaperFilter, ids: number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    // The given ids drive; every set of the filter is a membership check (an empty plan).
    const { rows } = await sql<{ id: number }>`SELECT papers.id AS id FROM papers WHERE papers.id IN (${sql.join(chunk)}) AND ${paperFilterSql(f, db.dialect, 'papers', {})}`.execute(db.kysely);
    for (const r of rows) out.add(r.id);
  }
  return out;
}
