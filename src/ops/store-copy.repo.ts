/**
 * The SQL of `paperboy move-store`: which tables a SQLite store has (read from its own catalogue, so a
 * table a later migration adds is copied without anyone listing it), their columns, keys and foreign
 * keys; reading them in key order; and on PostgreSQL the matching catalogue, batched inserts, sequence
 * resets and key-ordered reads back. Table and column names come from the catalogues, never from input,
 * and are quoted as identifiers; values are always parameters.
 */
import type SqliteDatabase from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';

/** One table of the source store. */
export interface SourceTable {
  name: string;
  columns: string[];
  /** Primary-key columns in key order (rowid when the table declares none). */
  key: string[];
  /** Tables its foreign keys point to. */
  references: string[];
}

/** Bookkeeping that is not data: the migration ledger and derived-data versions (the target keeps its own). */
const NOT_DATA = new Set(['schema_migrations', 'schema_migrations_lock', 'derived_state']);

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The data tables of a SQLite store: every ordinary table except SQLite's own, the migration ledger, and
 * full-text indexes (virtual tables and their shadow tables), which the target rebuilds from the papers.
 */
export function sourceTables(source: SqliteDatabase.Database): SourceTable[] {
  const all = source.prepare("select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string; sql: string | null }[];
  const virtual = all.filter((t) => /^create virtual table/i.test(t.sql ?? '')).map((t) => t.name);
  const isIndexTable = (name: string) => virtual.some((v) => name === v || name.startsWith(`${v}_`));
  return all
    .filter((t) => !NOT_DATA.has(t.name) && !isIndexTable(t.name))
    .map((t) => {
      const info = source.prepare(`pragma table_info(${quote(t.name)})`).all() as { name: string; pk: number }[];
      const key = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      const fks = source.prepare(`pragma foreign_key_list(${quote(t.name)})`).all() as { table: string }[];
      return { name: t.name, columns: info.map((c) => c.name), key: key.length ? key : ['rowid'], references: [...new Set(fks.map((f) => f.table))].filter((r) => r !== t.name) };
    });
}

/** The rows of a source table in key order, as arrays in `columns` order (run inside one read transaction). */
export function sourceRows(source: SqliteDatabase.Database, table: SourceTable): IterableIterator<unknown[]> {
  const cols = table.columns.map(quote).join(', ');
  return source.prepare(`select ${cols} from ${quote(table.name)} order by ${table.key.map(quote).join(', ')}`).raw().iterate() as IterableIterator<unknown[]>;
}

/** Each table of the target's public schema and its columns. */
export async function targetColumns(db: Kysely<any>): Promise<Map<string, Set<string>>> {
  const rows = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns where table_schema = current_schema()`.execute(db);
  const out = new Map<string, Set<string>>();
  for (const r of rows.rows) (out.get(r.table_name) ?? out.set(r.table_name, new Set()).get(r.table_name)!).add(r.column_name);
  return out;
}

/** Whether a target table has any row. */
export async function targetHasRows(db: Kysely<any>, table: string): Promise<boolean> {
  const r = await sql<{ found: boolean }>`select exists (select 1 from ${sql.table(table)}) as found`.execute(db);
  return Boolean(r.rows[0]?.found);
}

/** Inserts rows (arrays in `columns` order) into a target table in one statement. */
export async function insertRows(db: Kysely<any>, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(rows.map((r) => sql`(${sql.join(r)})`));
  await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.id(c)))}) values ${values}`.execute(db);
}

/** Moves each serial column's sequence past the highest value copied, so new rows get new ids. */
export async function resetSequences(db: Kysely<any>, table: string): Promise<void> {
  const serials = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} and column_default like 'nextval(%'`.execute(db);
  for (const { column_name } of serials.rows) {
    await sql`select setval(pg_get_serial_sequence(${quote(table)}, ${column_name}), coalesce((select max(${sql.id(column_name)}) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
  }
}

/** A page of a target table's rows after `after` (a key tuple) in key order, as arrays in `columns` order. */
export async function targetRowsPage(db: Kysely<any>, table: string, columns: string[], key: string[], after: unknown[] | undefined, limit: number): Promise<unknown[][]> {
  const keyList = sql.join(key.map((k) => sql.id(k)));
  const where = after ? sql`where (${keyList}) > (${sql.join(after)})` : sql``;
  const r = await sql<Record<string, unknown>>`select ${sql.join(columns.map((c) => sql.id(c)))} from ${sql.table(table)} ${where} order by ${keyList} limit ${limit}`.execute(db);
  return r.rows.map((row) => columns.map((c) => row[c]));
}
