/**
 * Whether anyone else is using a SQLite store right now, so a bulk writer knows if it must leave room.
 * Each `paperboy serve` holds a shared lock on a small SQLite file beside the store (`….presence`) for as
 * long as it runs; an import asks whether any such lock is held by trying, without waiting, for an
 * exclusive one. The operating system drops a process's locks when it ends, so a crashed server never
 * leaves the store marked busy.
 */
import SqliteDatabase from 'better-sqlite3';

const presenceFile = (sqliteFile: string) => `${sqliteFile}.presence`;
// Held here so a caller that never releases cannot lose the lock to the garbage collector closing it.
const held = new Set<SqliteDatabase.Database>();

/** Marks this process as using the store until the returned function is called (or the process ends). */
export function announcePresence(sqliteFile: string): () => void {
  const db = new SqliteDatabase(presenceFile(sqliteFile), { timeout: 5000 });
  db.exec('CREATE TABLE IF NOT EXISTS presence (note TEXT)');
  // A read inside an open transaction keeps SQLite's shared lock on the file until the transaction ends.
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM presence').get();
  held.add(db);
  return () => {
    held.delete(db);
    if (db.open) db.close();
  };
}

/** True when another process (or connection) has announced itself on the store. */
export function othersPresent(sqliteFile: string): boolean {
  let db: SqliteDatabase.Database;
  try {
    db = new SqliteDatabase(presenceFile(sqliteFile), { timeout: 0, fileMustExist: true });
  } catch {
    return false; // nobody ever announced: no file
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw err;
  } finally {
    db.close();
  }
}
