/**
 * Locks between processes that share a store's directory (several `paperboy serve` on one SQLite file, or
 * on one machine in front of PostgreSQL): an exclusive transaction on a small SQLite file beside the store.
 * The operating system releases it when the holder dies, unlike a lock file that merely exists, so a crash
 * never leaves work locked.
 */
import SqliteDatabase from 'better-sqlite3';

/** Takes the lock on `file` if no other holder has it; returns its release, or undefined when it is held. */
export function tryFileLock(file: string): (() => void) | undefined {
  const lock = new SqliteDatabase(file, { timeout: 0 });
  try {
    lock.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) return undefined;
    throw err;
  }
  return () => {
    if (lock.inTransaction) lock.exec('ROLLBACK');
    lock.close();
  };
}

/**
 * Runs `fn` holding the lock on `file`, waiting up to `waitMs` for another holder (polling, so the event
 * loop never blocks: two holders may share one process in tests).
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, waitMs: number): Promise<T> {
  const started = Date.now();
  let release = tryFileLock(file);
  while (!release) {
    if (Date.now() - started > waitMs) throw new Error(`${file}: still locked by another process after ${Math.round(waitMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
    release = tryFileLock(file);
  }
  try {
    return await fn();
  } finally {
    release();
  }
}
