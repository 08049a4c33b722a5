/**
 * `paperboy move-store --to postgres://…`: copies every data table of the SQLite store into an empty
 * PostgreSQL database and proves the copy. The tables come from the store's own catalogue (a table a new
 * migration adds is copied with no list to update), in foreign-key order, read inside one read
 * transaction (a consistent copy even while `serve` writes; stop it first so nothing written after the
 * copy began is left behind). Each table is verified by its row count and by an order-independent
 * checksum — the sum of a SHA-256 per row over its values — computed on the rows read from SQLite and
 * again on the rows read back from PostgreSQL. The PostgreSQL keyword index, derived from the papers, is
 * then built there by the usual derived-data step.
 */
import { createHash } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import { migrate, openDb, type Db } from '../db/database.ts';
import { ensureDerivedData } from '../db/derived.ts';
import { keywordIndexStep } from '../search/keyword-index.ts';
import { hotnessStep } from '../trending/trending.repo.ts';
import { insertRows, resetSequences, type SourceTable, sourceRows, sourceTables, targetColumns, targetHasRows, targetRowsPage } from './store-copy.repo.ts';

/** One table's outcome. */
export interface TableReport {
  table: string;
  rows: number;
  /** Hex of the row-hash sum; equal on both sides when `verified`. */
  checksum: string;
  verified: boolean;
}

/** What a move did. */
export interface MoveReport {
  tables: TableReport[];
  seconds: number;
}

/** A value as the checksum sees it: the same datum gives the same text on both engines. */
function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'N';
  if (typeof v === 'number') return `n${v}`;
  if (typeof v === 'bigint') return `n${v}`;
  if (typeof v === 'boolean') return `n${v ? 1 : 0}`;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return `x${Buffer.from(v).toString('hex')}`;
  if (v instanceof Date) return `s${v.toISOString()}`;
  return `s${String(v)}`;
}

const MOD = 1n << 128n;

/** Sums row hashes: order-independent (PostgreSQL orders text keys by collation, SQLite by bytes). */
class TableChecksum {
  private sum = 0n;
  rows = 0;
  add(row: unknown[]): void {
    const h = createHash('sha256');
    for (const v of row) h.update(canonical(v)).update('\u0000');
    this.sum = (this.sum + BigInt(`0x${h.digest('hex').slice(0, 32)}`)) % MOD;
    this.rows++;
  }
  get hex(): string {
    return this.sum.toString(16).padStart(32, '0');
  }
}

/** Tables ordered so that each comes after the tables its foreign keys point to. */
function inDependencyOrder(tables: SourceTable[]): SourceTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const out: SourceTable[] = [];
  const visit = (t: SourceTable, path: string[]) => {
    if (done.has(t.name)) return;
    if (path.includes(t.name)) throw new Error(`move-store: foreign keys form a cycle: ${[...path, t.name].join(' → ')}`);
    for (const r of t.references) if (byName.has(r)) visit(byName.get(r)!, [...path, t.name]);
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t, []);
  return out;
}

/** Copies the SQLite store `sqliteFile` into the empty PostgreSQL database at `postgresUrl`, verified per table. */
export async function moveStore(sqliteFile: string, postgresUrl: string, log: (line: string) => void = () => {}): Promise<MoveReport> {
  const started = performance.now();
  const source = new SqliteDatabase(sqliteFile, { readonly: true, fileMustExist: true });
  const target: Db = openDb({ postgresUrl });
  try {
    await migrate(target);
    const tables = inDependencyOrder(sourceTables(source));
    const columns = await targetColumns(target.kysely);
    for (const t of tables) {
      const have = columns.get(t.name);
      if (!have) throw new Error(`move-store: the target has no table ${t.name} (is it migrated by another Paperboy release?)`);
      const missing = t.columns.filter((c) => !have.has(c));
      if (missing.length) throw new Error(`move-store: the target's ${t.name} has no column ${missing.join(', ')}`);
      if (await targetHasRows(target.kysely, t.name)) throw new Error(`move-store: the target is not empty (${t.name} has rows); use a new database`);
    }
    const reports: TableReport[] = [];
    // One read transaction over every table: the copy is the store as of one instant.
    source.exec('BEGIN');
    for (const t of tables) {
      const tableStarted = performance.now();
      const sent = new TableChecksum();
      const batchRows = Math.max(1, Math.min(1000, Math.floor(30_000 / t.columns.length)));
      let batch: unknown[][] = [];
      for (const row of sourceRows(source, t)) {
        sent.add(row);
        batch.push(row);
        if (batch.length === batchRows) {
          await insertRows(target.kysely, t.name, t.columns, batch);
          batch = [];
        }
      }
      await insertRows(target.kysely, t.name, t.columns, batch);
      await resetSequences(target.kysely, t.name);
      const back = await readBack(target, t);
      const verified = back.rows === sent.rows && back.hex === sent.hex;
      reports.push({ table: t.name, rows: sent.rows, checksum: sent.hex, verified });
      log(`${t.name.padEnd(28)} ${String(sent.rows).padStart(9)} rows  ${verified ? `checksum ${sent.hex.slice(0, 16)} equal` : `MISMATCH: ${back.rows} rows, checksum ${back.hex.slice(0, 16)} ≠ ${sent.hex.slice(0, 16)}`}  ${((performance.now() - tableStarted) / 1000).toFixed(1)} s`);
    }
    source.exec('COMMIT');
    const bad = reports.filter((r) => !r.verified);
    if (bad.length) throw new Error(`move-store: ${bad.length} table(s) differ after the copy: ${bad.map((r) => r.table).join(', ')}; the target is incomplete, drop it before trying again`);
    // What PostgreSQL derives from the papers (its keyword documents), built the usual way.
    await ensureDerivedData(target, [keywordIndexStep, hotnessStep], log);
    return { tables: reports, seconds: (performance.now() - started) / 1000 };
  } finally {
    source.close();
    await target.close();
  }
}

/** The checksum of a target table, read back in key-ordered pages. */
async function readBack(target: Db, t: SourceTable): Promise<TableChecksum> {
  const sum = new TableChecksum();
  // A table without a declared key (rowid) is read in one go: PostgreSQL has no rowid to page by.
  const paged = t.key[0] !== 'rowid';
  const keyAt = t.key.map((k) => t.columns.indexOf(k));
  let after: unknown[] | undefined;
  for (;;) {
    const rows = await targetRowsPage(target.kysely, t.name, t.columns, paged ? t.key : t.columns.slice(0, 1), after, paged ? 5000 : 1e9);
    for (const r of rows) sum.add(r);
    if (!paged || rows.length < 5000) return sum;
    after = keyAt.map((i) => rows[rows.length - 1][i]);
  }
}
