/**
 * The bulk writes of merge.repo.ts on SQLite, as prepared statements run row by row on the transaction's
 * own connection: a fresh import writes about 75,000 papers, 175,000 authors and 560,000 byline and
 * category rows, and building a multi-row Kysely query for each chunk (then parsing its SQL, whose text
 * changes with every chunk size) cost more than SQLite's own work on these rows. PostgreSQL keeps the
 * Kysely statements in merge.repo.ts; both write the same rows.
 */
import type BetterSqlite3 from 'better-sqlite3';

type Sqlite = BetterSqlite3.Database;
const statements = new WeakMap<Sqlite, Map<string, BetterSqlite3.Statement>>();

/** A statement of this connection, prepared once. */
function statement(sqlite: Sqlite, sql: string): BetterSqlite3.Statement {
  let byText = statements.get(sqlite);
  if (!byText) statements.set(sqlite, (byText = new Map()));
  let stmt = byText.get(sql);
  if (!stmt) byText.set(sql, (stmt = sqlite.prepare(sql)));
  return stmt;
}

/** Inserts rows (objects with the same keys) into `table`, returning each row's new rowid in order. */
export function insertRows(sqlite: Sqlite, table: string, rows: Record<string, unknown>[]): number[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const stmt = statement(sqlite, `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const ids: number[] = [];
  for (const row of rows) ids.push(Number(stmt.run(columns.map((c) => row[c])).lastInsertRowid));
  return ids;
}

/**
 * Ids of authors by normalized name, inserting the missing ones (as merge.repo.ts#ensureAuthors: insert
 * first, look up only a name that was already there).
 */
export function ensureAuthorsSqlite(sqlite: Sqlite, rows: { name: string; name_norm: string; last_word: string }[]): Map<string, number> {
  const insert = statement(sqlite, 'INSERT INTO authors (name, name_norm, last_word) VALUES (?, ?, ?) ON CONFLICT (name_norm) DO NOTHING');
  const find = statement(sqlite, 'SELECT id FROM authors WHERE name_norm = ?').pluck();
  const ids = new Map<string, number>();
  for (const r of rows) {
    const { changes, lastInsertRowid } = insert.run(r.name, r.name_norm, r.last_word);
    ids.set(r.name_norm, changes ? Number(lastInsertRowid) : (find.get(r.name_norm) as number));
  }
  return ids;
}

/** Deletes the rows of `table` whose paper_id is one of `ids`. */
export function deleteByPaper(sqlite: Sqlite, table: string, ids: number[]): void {
  const stmt = statement(sqlite, `DELETE FROM ${table} WHERE paper_id = ?`);
  for (const id of ids) stmt.run(id);
}

/** Inserts rows into `table` (objects with the same keys), discarding their rowids. */
export function appendRows(sqlite: Sqlite, table: string, rows: Record<string, unknown>[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const stmt = statement(sqlite, `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  for (const row of rows) stmt.run(columns.map((c) => row[c]));
}
