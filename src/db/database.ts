import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, type Migration } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { runPlainSelectsOn } from './plain-sql.ts';
import { restoreReadIndexes } from './read-indexes.ts';
import { PaperboySqliteDialect } from './sqlite-dialect.ts';
import * as m0001 from './migrations/0001_init.ts';
import * as m0002 from './migrations/0002_trending.ts';
import * as m0003 from './migrations/0003_vectors.ts';
import * as m0004 from './migrations/0004_subscriptions.ts';
import * as m0005 from './migrations/0005_search.ts';
import * as m0006 from './migrations/0006_paper_filter.ts';
import * as m0007 from './migrations/0007_text_revision.ts';
import * as m0008 from './migrations/0008_digest_at_send.ts';
import * as m0009 from './migrations/0009_accounts.ts';
import * as m0010 from './migrations/0010_sources.ts';
import * as m0011 from './migrations/0011_community.ts';
import * as m0012 from './migrations/0012_collections_comments.ts';
import * as m0015 from './migrations/0015_comment_html.ts';
import * as m0013 from './migrations/0013_recommendations.ts';
import * as m0016 from './migrations/0016_collection_references.ts';

/** Which database engine a store runs on. */
export type Dialect = 'sqlite' | 'postgres';

/** An open database: the typed query builder plus what differs per engine. */
export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for messages (file path or URL without password). */
  location: string;
  /** How to open another connection to the same store (a worker thread's). */
  target: DbTarget;
  /**
   * Where a file derived from this store may be kept across restarts (a search index snapshot): next to a
   * SQLite file; for PostgreSQL under `cacheDir` (openConfiguredDb sets DATA_DIR/search), else the temp dir.
   */
  derivedFile(name: string): string;
  /**
   * The same store for small indexed reads made on every signed-in request (a session by its token hash, the
   * reader's votes on one page of cards): on a SQLite file a read-only connection on this thread, since a
   * message to a reader thread costs more than such a lookup; elsewhere `kysely` itself. Only for statements
   * an index bounds to a handful of rows — anything that may scan belongs on `kysely`. Read with `quickReads`.
   */
  quick?: Kysely<Database>;
  /** Set once `close` was called: background work that outlives the store stops quietly. */
  closed?: boolean;
  close(): Promise<void>;
}

/**
 * Where to connect: a PostgreSQL URL, or a SQLite file path (':memory:' for tests), with how many reader
 * threads serve its reads (default 4; see sqlite-dialect.ts).
 */
export type DbTarget = { postgresUrl: string; cacheDir?: string } | { sqliteFile: string; readers?: number };

// bigint counts from PostgreSQL come back as strings; our ids and counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

/** Opens (and for SQLite, creates) the database; call `migrate` before use. */
export function openDb(target: DbTarget): Db {
  if ('postgresUrl' in target) {
    const pool = new pg.Pool({ connectionString: target.postgresUrl, max: 10 });
    // An idle connection the server closes (a restart, an administrator) is replaced on next use; without a
    // listener its error would end the process.
    pool.on('error', (err) => console.error(`database: an idle PostgreSQL connection failed: ${err.message}`));
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const location = target.postgresUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    const dir = target.cacheDir ?? os.tmpdir();
    // DATA_DIR/search may not exist yet on a PostgreSQL instance (nothing else is written under DATA_DIR).
    fs.mkdirSync(dir, { recursive: true });
    const store = createHash('sha256').update(target.postgresUrl).digest('hex').slice(0, 12);
    const db: Db = { kysely, dialect: 'postgres', location, target, derivedFile: (name) => path.join(dir, `paperboy-${store}.${name}`), close: () => ((db.closed = true), kysely.destroy()) };
    return db;
  }
  if (target.sqliteFile !== ':memory:') fs.mkdirSync(path.dirname(target.sqliteFile), { recursive: true });
  const sqlite = new SqliteDatabase(target.sqliteFile);
  // Opening may meet another process creating the same file; waiting synchronously is fine before serving.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -262144');
  // From here on the dialect waits for locks asynchronously (see sqlite-dialect.ts), never freezing the event loop.
  sqlite.pragma('busy_timeout = 0');
  const file = target.sqliteFile === ':memory:' ? undefined : target.sqliteFile;
  const kysely = new Kysely<Database>({ dialect: new PaperboySqliteDialect(sqlite, { file, readers: target.readers }) });
  const derivedFile = (name: string) => (file ? `${file}.${name}` : path.join(os.tmpdir(), `paperboy-memory-${process.pid}.${name}`));
  const quick = file && target.readers !== 0 ? quickConnection(file) : undefined;
  const close = async () => {
    db.closed = true;
    await Promise.all([kysely.destroy(), quick?.destroy()]);
  };
  const db: Db = { kysely, quick, dialect: 'sqlite', location: target.sqliteFile, target, derivedFile, close };
  return db;
}

/** `db.quick` when the store has one, else `db.kysely` (see `Db.quick`). */
export function quickReads(db: Db): Kysely<Database> {
  return db.quick ?? db.kysely;
}

/** A read-only connection on this thread, for `Db.quick` (WAL: it never waits for the writer). */
function quickConnection(file: string): Kysely<Database> {
  const sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  const quick = new Kysely<Database>({ dialect: new PaperboySqliteDialect(sqlite, { readers: 0, readOnly: true }) });
  runPlainSelectsOn(quick, sqlite);
  return quick;
}

/** The ordered, forward-only list of migrations; a new one gets the next number. */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_init': { up: m0001.up(dialect) },
    '0002_trending': { up: m0002.up(dialect) },
    '0003_vectors': { up: m0003.up(dialect) },
    '0004_subscriptions': { up: m0004.up(dialect) },
    '0005_search': { up: m0005.up(dialect) },
    '0006_paper_filter': { up: m0006.up(dialect) },
    '0007_text_revision': { up: m0007.up(dialect) },
    '0008_digest_at_send': { up: m0008.up(dialect) },
    '0009_accounts': { up: m0009.up(dialect) },
    '0010_sources': { up: m0010.up(dialect) },
    '0011_community': { up: m0011.up(dialect) },
    '0012_collections_comments': { up: m0012.up(dialect) },
    '0013_recommendations': { up: m0013.up(dialect) },
    '0015_comment_html': { up: m0015.up(dialect) }, // 0014 is reserved for issue 12 (production)
    '0016_collection_references': { up: m0016.up(dialect) },
  };
}

/** The names of every migration this release has, in order (what /readyz expects a store to have applied). */
export function migrationNames(dialect: Dialect): string[] {
  return Object.keys(migrations(dialect));
}

/**
 * Applies every pending migration, each in its own transaction; throws with the failing name. Then creates
 * any read-only index a bulk import dropped and did not live to build again (read-indexes.ts).
 */
export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations(db.dialect) },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    // Numbers are reserved per feature and may land out of order; each migration is independent.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) throw new Error(`migrate: ${failed?.migrationName ?? 'migration'} failed: ${(error as Error).message ?? error}`);
  await restoreReadIndexes(db.kysely, db.dialect);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
