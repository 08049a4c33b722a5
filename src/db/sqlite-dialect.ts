/**
 * Kysely's SQLite dialect with two changes for several processes on one file (`paperboy serve` and a
 * `paperboy import`, or two servers):
 * - every transaction starts with BEGIN IMMEDIATE, taking the write lock up front, so a transaction that
 *   has read can never fail on its first write (SQLITE_BUSY_SNAPSHOT) and needs no retry logic;
 * - waiting for the lock happens asynchronously. better-sqlite3 is synchronous, so SQLite's own busy
 *   timeout would freeze the whole event loop (every request of a server) while another process writes;
 *   here the connection's busy timeout is 0 and a statement that finds the store locked outside a
 *   transaction (BEGIN IMMEDIATE itself, or a single autocommit write) is retried after a short sleep.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';

/** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
export const LOCK_WAIT_MS = 15_000;

/** The SQLite dialect Paperboy uses: BEGIN IMMEDIATE transactions and lock waits that never block the event loop. */
export class PaperboySqliteDialect extends SqliteDialect {
  readonly #sqlite: BetterSqlite3.Database;

  constructor(sqlite: BetterSqlite3.Database) {
    super({ database: sqlite });
    this.#sqlite = sqlite;
  }

  createDriver(): Driver {
    return new ImmediateDriver(this.#sqlite);
  }
}

class ImmediateDriver extends SqliteDriver {
  readonly #sqlite: BetterSqlite3.Database;
  #connection?: DatabaseConnection;

  constructor(sqlite: BetterSqlite3.Database) {
    super({ database: sqlite });
    this.#sqlite = sqlite;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await super.acquireConnection();
    this.#connection ??= new WaitingConnection(inner, this.#sqlite);
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** Retries a statement that found the database locked, when retrying is safe: outside a transaction. */
class WaitingConnection implements DatabaseConnection {
  constructor(
    private readonly inner: DatabaseConnection,
    private readonly sqlite: BetterSqlite3.Database,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.inner.executeQuery<R>(query);
      } catch (err) {
        // Inside a transaction a failed statement may have done part of its work; only the caller can retry that.
        const busy = (err as { code?: string }).code?.startsWith('SQLITE_BUSY');
        if (!busy || this.sqlite.inTransaction || Date.now() - started > LOCK_WAIT_MS) throw err;
        // Short sleeps: a writer that steps aside for a few milliseconds between transactions must be caught.
        await new Promise((resolve) => setTimeout(resolve, Math.min(1 + attempt, 4)));
      }
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}
