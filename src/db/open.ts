import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import { keywordIndexStep } from '../search/keyword-index.ts';
import { hotnessStep } from '../trending/trending.repo.ts';
import { migrate, openDb, type Db } from './database.ts';
import { ensureDerivedData } from './derived.ts';
import { withFileLock } from './file-lock.ts';

/** What to do once the schema is current, still under the start-up lock: the demo load of `serve`. */
export interface OpenOptions {
  prepare?: (db: Db) => Promise<unknown>;
  /** SQLite reader threads (default 4); a one-shot writer such as `paperboy import` needs none. */
  readers?: number;
}

/**
 * Opens the configured database (PostgreSQL when DATABASE_URL is set, else SQLite under DATA_DIR),
 * migrates it, rebuilds derived data a new version computes differently (src/db/derived.ts) and runs
 * `prepare`, while holding a start-up lock: two instances starting at once on an
 * empty store take turns, so the second finds the schema made and the demo loaded instead of racing
 * the first into duplicate keys.
 */
export async function openConfiguredDb(config: Config, opts: OpenOptions = {}): Promise<Db> {
  const sqliteFile = path.join(config.dataDir, 'paperboy.sqlite');
  const db = config.databaseUrl ? openDb({ postgresUrl: config.databaseUrl, cacheDir: path.join(config.dataDir, 'search') }) : openDb({ sqliteFile, readers: opts.readers });
  try {
    const startUp = async () => {
      await migrate(db);
      await ensureDerivedData(db, [keywordIndexStep, hotnessStep], config.logLevel === 'silent' ? () => {} : console.log);
      await opts.prepare?.(db);
    };
    if (config.databaseUrl) await withPostgresLock(config.databaseUrl, startUp);
    else await withFileLock(`${sqliteFile}.startup-lock`, startUp, STARTUP_WAIT_MS);
  } catch (err) {
    await db.close();
    throw new Error(`database ${db.location}: ${(err as Error).message}`);
  }
  return db;
}

/** An arbitrary constant naming Paperboy's start-up among the database's advisory locks ("papr"). */
const STARTUP_LOCK_KEY = 0x70617072;

/**
 * Runs `fn` holding a session-level advisory lock on a client of its own, outside the pool the work
 * uses; PostgreSQL releases it if this process dies, so a crash never leaves the store locked.
 */
async function withPostgresLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

/** How long a start-up waits for another one (a first migration of a large store takes a while). */
const STARTUP_WAIT_MS = 10 * 60_000;
