/**
 * `paperboy backup FILE` and `paperboy restore FILE` for the SQLite store. A backup is `VACUUM INTO` on a
 * connection of its own: one read transaction, so the copy is the store as of one instant even while
 * `serve` keeps writing (WAL lets both go on; SQLite's page-copying backup API would instead start over
 * whenever another connection writes). The copy is checked and renamed into place, so FILE is either the
 * whole backup or absent. The files beside the store (term index, vector snapshots, HNSW graphs) are
 * derived from it and rebuilt on start, so they are not part of a backup; a restore removes the stale ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';

/** What a backup wrote. */
export interface BackupReport {
  file: string;
  bytes: number;
  papers: number;
  seconds: number;
}

/** Whether a file is a readable SQLite database with Paperboy's schema; throws saying what is wrong. */
function checkStoreFile(file: string): { papers: number } {
  let db: SqliteDatabase.Database;
  try {
    db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new Error(`${file}: not a readable SQLite file (${(err as Error).message})`);
  }
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`${file}: damaged (quick_check: ${String(check)})`);
    const hasSchema = db.prepare("select count(*) as n from sqlite_master where type = 'table' and name in ('schema_migrations', 'papers')").get() as { n: number };
    if (hasSchema.n !== 2) throw new Error(`${file}: not a Paperboy store (no papers or schema_migrations table)`);
    return { papers: (db.prepare('select count(*) as n from papers').get() as { n: number }).n };
  } catch (err) {
    if ((err as Error).message.startsWith(file)) throw err;
    throw new Error(`${file}: not a usable SQLite file (${(err as Error).message})`);
  } finally {
    db.close();
  }
}

/** Copies the store at `storeFile` to `target` (which must not exist), consistently, and checks the copy. */
export function backupSqlite(storeFile: string, target: string): BackupReport {
  const started = performance.now();
  if (!fs.existsSync(storeFile)) throw new Error(`backup: there is no store at ${storeFile}`);
  if (fs.existsSync(target)) throw new Error(`backup: ${target} exists already; choose a new file name`);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { force: true });
  const source = new SqliteDatabase(storeFile, { readonly: true, fileMustExist: true });
  try {
    // A server may hold the write lock for a moment; a read needs none under WAL, but a checkpoint might.
    source.pragma('busy_timeout = 10000');
    source.prepare('VACUUM INTO ?').run(partial);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw new Error(`backup: ${(err as Error).message}`);
  } finally {
    source.close();
  }
  const { papers } = checkStoreFile(partial);
  fs.renameSync(partial, target);
  return { file: target, bytes: fs.statSync(target).size, papers, seconds: (performance.now() - started) / 1000 };
}

/** What a restore did. */
export interface RestoreReport {
  papers: number;
  /** Where the store that was replaced was moved (undefined when there was none). */
  previous: string | undefined;
}

/**
 * Replaces the store at `storeFile` with the backup `source` (checked first). The store it replaces is
 * kept beside it as `paperboy.sqlite.before-restore-<time>`; its WAL and the derived files go. The caller
 * makes sure no server uses the store, and migrates it afterwards (a backup of an older release).
 */
export function restoreSqlite(source: string, storeFile: string, now = new Date()): RestoreReport {
  const { papers } = checkStoreFile(source);
  const dir = path.dirname(storeFile);
  fs.mkdirSync(dir, { recursive: true });
  const incoming = `${storeFile}.restoring-${process.pid}`;
  fs.copyFileSync(source, incoming);
  let previous: string | undefined;
  if (fs.existsSync(storeFile)) {
    // Folds the WAL into the old file first, so what is kept aside is complete on its own.
    const old = new SqliteDatabase(storeFile);
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    previous = `${storeFile}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(storeFile, previous);
  }
  // The old store's WAL and everything derived from it (search snapshots, graphs) no longer match.
  const base = path.basename(storeFile);
  const kept = /^\.(presence|startup-lock|before-restore-|restoring-)/;
  for (const name of fs.readdirSync(dir)) {
    const suffix = name.startsWith(base) ? name.slice(base.length) : undefined;
    if (suffix && (/^-(wal|shm)$/.test(suffix) || (suffix.startsWith('.') && !kept.test(suffix)))) fs.rmSync(path.join(dir, name), { force: true });
  }
  fs.renameSync(incoming, storeFile);
  return { papers, previous };
}
