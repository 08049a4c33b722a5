/**
 * Kysely's SQLite dialect, with a driver made for a server that shares its file with other processes
 * (`paperboy serve` and a `paperboy import`, or two servers) and must never freeze its event loop:
 * - statements that only read, outside a transaction, run on reader threads (sqlite-readers.ts), so a
 *   query over a big part of the store holds a worker, not every request of the server;
 * - writes and transactions run on the one main connection, one at a time (a mutex, as Kysely's own
 *   SQLite driver has), so SQLite's single-writer ordering is kept;
 * - every transaction starts with BEGIN IMMEDIATE, taking the write lock up front, so a transaction that
 *   has read can never fail on its first write (SQLITE_BUSY_SNAPSHOT) and needs no retry logic;
 * - waiting for another process's lock happens asynchronously: the connection's busy timeout is 0 and a
 *   statement that finds the store locked outside a transaction (BEGIN IMMEDIATE itself, or a single
 *   autocommit write) is retried after a short sleep. better-sqlite3 is synchronous, so SQLite's own busy
 *   timeout would freeze the whole event loop while another process writes.
 */
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { SqliteReaders } from './sqlite-readers.ts';

/** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
export const LOCK_WAIT_MS = 15_000;

/** Options of the dialect: the main connection and, for a file, how many reader threads. */
export interface SqliteDialectOptions {
  /** The store's file, for the reader threads; undefined (an in-memory store) runs everything on the main connection. */
  file?: string;
  /** Reader threads (default 4; 0 runs reads on the main connection). */
  readers?: number;
  /**
   * The connection only reads and never holds a transaction (`Db.quick`): its statements run at once,
   * without waiting their turn behind the writer's mutex (two promise turns, on every signed-in request).
   */
  readOnly?: boolean;
}

/** The SQLite dialect Paperboy uses (see the module comment). */
export class PaperboySqliteDialect implements Dialect {
  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly options: SqliteDialectOptions = {},
  ) {}

  createDriver(): Driver {
    const { file, readers = 4, readOnly = false } = this.options;
    return new PaperboySqliteDriver(this.sqlite, file && readers > 0 ? () => new SqliteReaders(file, readers) : undefined, readOnly);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/** One writer at a time on the main connection. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves with the function that releases the lock, once every earlier holder has released it. */
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

class PaperboySqliteDriver implements Driver {
  readonly mutex = new Mutex();
  private readers: SqliteReaders | undefined;
  /** Prepared statements of the main connection, by SQL (also tell which statements only read). */
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    readonly sqlite: BetterSqlite3.Database,
    private readonly makeReaders: (() => SqliteReaders) | undefined,
    readonly readOnly: boolean,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutingConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutingConnection).begin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as RoutingConnection).end('commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as RoutingConnection).end('rollback');
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as RoutingConnection).release();
  }

  async destroy(): Promise<void> {
    await this.readers?.close();
    this.sqlite.close();
  }

  statement(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.sqlite.prepare(sql);
      if (this.statements.size > 1000) this.statements.clear();
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** The reader threads, started on the first read (the file exists and is migrated by then). */
  readerPool(): SqliteReaders | undefined {
    if (!this.readers && this.makeReaders) this.readers = this.makeReaders();
    return this.readers;
  }

  /** Runs a statement on the main connection. */
  run<R>(query: CompiledQuery): QueryResult<R> {
    const stmt = this.statement(query.sql);
    const parameters = query.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }
}

/**
 * A connection as Kysely sees it: reads outside a transaction go to a reader thread; anything else waits
 * for the main connection (held from BEGIN to COMMIT for a transaction, for one statement otherwise).
 */
class RoutingConnection implements DatabaseConnection {
  private releaseLock: (() => void) | undefined;

  constructor(private readonly driver: PaperboySqliteDriver) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.releaseLock) return this.driver.run<R>(query);
    if (this.driver.readOnly) return withLockWait(() => this.driver.run<R>(query));
    const readers = this.driver.readerPool();
    if (readers && this.driver.statement(query.sql).readonly) {
      return { rows: (await readers.all(query.sql, query.parameters)) as R[] };
    }
    const release = await this.driver.mutex.lock();
    try {
      return await withLockWait(() => this.driver.run<R>(query));
    } finally {
      release();
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    for (const row of (await this.executeQuery<R>(query)).rows) yield { rows: [row] };
  }

  /** The main connection's own handle while this connection holds a transaction, else undefined. */
  transactionHandle(): BetterSqlite3.Database | undefined {
    return this.releaseLock ? this.driver.sqlite : undefined;
  }

  /** BEGIN IMMEDIATE once the main connection is ours; it stays ours until `end`. */
  async begin(): Promise<void> {
    this.releaseLock = await this.driver.mutex.lock();
    try {
      await withLockWait(() => this.driver.run(CompiledQuery.raw('begin immediate')));
    } catch (err) {
      this.release();
      throw err;
    }
  }

  end(command: 'commit' | 'rollback'): void {
    try {
      this.driver.run(CompiledQuery.raw(command));
    } finally {
      this.release();
    }
  }

  release(): void {
    const release = this.releaseLock;
    this.releaseLock = undefined;
    release?.();
  }
}

/**
 * Runs a statement that takes the write lock, retrying while another process holds it. Only outside a
 * transaction: inside one, a failed statement may have done part of its work, and only the caller can
 * retry that.
 */
async function withLockWait<T>(run: () => T): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return run();
    } catch (err) {
      const busy = (err as { code?: string }).code?.startsWith('SQLITE_BUSY');
      if (!busy || Date.now() - started > LOCK_WAIT_MS) throw err;
      // Short sleeps: a writer that steps aside for a few milliseconds between transactions must be caught.
      await new Promise((resolve) => setTimeout(resolve, Math.min(1 + attempt, 4)));
    }
  }
}

/**
 * Runs `fn` with the better-sqlite3 handle of the transaction `trx` is in, when `trx` is a transaction on
 * this dialect; resolves undefined otherwise (PostgreSQL, or outside a transaction). For bulk writes on a
 * hot path (importers): prepared statements run synchronously, without building a query per row.
 */
export async function inSqliteTransaction<T>(trx: Kysely<any>, fn: (sqlite: BetterSqlite3.Database) => T): Promise<T | undefined> {
  if (!trx.isTransaction) return undefined;
  return trx.getExecutor().provideConnection(async (connection) => {
    const handle = connection instanceof RoutingConnection ? connection.transactionHandle() : undefined;
    return handle ? fn(handle) : undefined;
  });
}
