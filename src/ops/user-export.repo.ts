/**
 * The SQL of a reader's data export: the store's tables and columns (from its catalogue, on either
 * engine, so a table a later migration adds with a `user_id` is exported without being listed here), and
 * the rows of a table whose owner column holds one of some ids. Names come from the catalogue and are
 * quoted as identifiers; ids are parameters.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

/** Every table of the store with its columns (SQLite's own and the full-text index's shadow tables left out). */
export async function storeColumns(db: Kysely<Database>, dialect: Dialect): Promise<Map<string, string[]>> {
  const rows =
    dialect === 'postgres'
      ? (await sql<{ t: string; c: string }>`select table_name as t, column_name as c from information_schema.columns where table_schema = current_schema() order by table_name, ordinal_position`.execute(db)).rows
      : (await sql<{ t: string; c: string }>`select m.name as t, p.name as c from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like 'papers_fts%' order by m.name, p.cid`.execute(db)).rows;
  const out = new Map<string, string[]>();
  for (const r of rows) (out.get(r.t) ?? out.set(r.t, []).get(r.t)!).push(r.c);
  return out;
}

/** The rows of `table` whose `column` is one of `ids` (at most 10,000 per table: an export is a reader's, not a bulk dump). */
export async function rowsOwnedBy(db: Kysely<Database>, table: string, column: string, ids: number[]): Promise<Record<string, unknown>[]> {
  if (ids.length === 0) return [];
  const r = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where ${sql.id(column)} in (${sql.join(ids)}) limit 10000`.execute(db);
  return r.rows;
}

/** Title and arXiv id of papers, for the export to say which paper a vote or a note is about. */
export async function paperLabels(db: Kysely<Database>, ids: number[]): Promise<{ id: number; arxiv_id: string | null; title: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('papers').select(['id', 'arxiv_id', 'title']).where('id', 'in', ids.slice(0, 20_000)).execute();
}
