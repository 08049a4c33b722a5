/**
 * The indexes only reads use — list orders, filters, author and category pages, the PostgreSQL keyword
 * index's GIN — as opposed to the unique and lookup indexes an import's own dedup and upserts read
 * (arXiv id, DOI, normalized title, author and organization keys). A bulk import into a nearly empty store
 * drops these first and builds each once at its end, a sorted build instead of a random insert per row
 * (src/importers/import.service.ts). An import killed in between leaves them missing, so every `migrate`
 * (each open of the store) creates whichever is missing: the store is never left without them for longer
 * than until its next open.
 *
 * The definitions repeat those of the migrations that made them (the migrations are history and may not
 * change); src/importers/read-indexes.test.ts compares a restored store with a freshly migrated one.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './database.ts';

/** One read-only index: its name and what it is on, as `CREATE INDEX name ON …` takes it. */
interface ReadIndex {
  name: string;
  on: string;
  /** Only on these databases (default both). */
  dialects?: Dialect[];
}

const READ_INDEXES: ReadIndex[] = [
  { name: 'papers_announced', on: 'papers (announced_on, id)' },
  { name: 'papers_hotness_id', on: 'papers (hotness, id)' },
  { name: 'papers_votes', on: 'papers ((upvotes + local_votes), hotness, id)' },
  { name: 'papers_organization', on: 'papers (organization_id)' },
  { name: 'papers_text_revision', on: 'papers (text_revision)' },
  { name: 'paper_authors_author', on: 'paper_authors (author_id, paper_id)' },
  { name: 'paper_categories_category', on: 'paper_categories (category, paper_id)' },
  { name: 'paper_categories_key', on: 'paper_categories (category_key, paper_id)' },
  { name: 'paper_categories_archive', on: 'paper_categories (archive, paper_id)' },
  { name: 'authors_last_word', on: 'authors (last_word)' },
  { name: 'papers_fts_document', on: 'papers_fts USING gin (document)', dialects: ['postgres'] },
];

const readIndexes = (dialect: Dialect) => READ_INDEXES.filter((i) => !i.dialects || i.dialects.includes(dialect));

/** The names of the store's indexes. */
async function indexNames(db: Kysely<any>, dialect: Dialect): Promise<Set<string>> {
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index'`.execute(db)
      : await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()`.execute(db);
  return new Set(rows.map((r) => r.name));
}

/** Drops the read-only indexes the store has, in one transaction; returns their names (to build again at the end). */
export async function dropReadIndexes(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const present = await indexNames(trx, dialect);
    const dropped = readIndexes(dialect).filter((i) => present.has(i.name)).map((i) => i.name);
    for (const name of dropped) await sql`DROP INDEX ${sql.id(name)}`.execute(trx);
    return dropped;
  });
}

/**
 * Creates every read-only index the store lacks, in one transaction; returns the names created (on a store
 * that has them all this is one read of the catalogue).
 */
export async function restoreReadIndexes(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const present = await indexNames(db, dialect);
  const missing = readIndexes(dialect).filter((i) => !present.has(i.name));
  if (missing.length === 0) return [];
  await db.transaction().execute(async (trx) => {
    // IF NOT EXISTS: another process opening the store may have restored them since the look above.
    for (const i of missing) await sql.raw(`CREATE INDEX IF NOT EXISTS ${i.name} ON ${i.on}`).execute(trx);
  });
  return missing.map((i) => i.name);
}
