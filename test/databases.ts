import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe } from 'node:test';
import pg from 'pg';
import { migrate, openDb, type Db } from '../src/db/database.ts';

/** The PostgreSQL server tests run against, when set (each test file gets its own fresh database). */
export const TEST_PG_URL = process.env.PAPERBOY_TEST_PG_URL;

/**
 * Opens a fresh, fully migrated SQLite database in a temporary file, as a server runs it (WAL, reads on
 * reader threads); `close` deletes it.
 */
export async function freshSqlite(): Promise<Db> {
  const file = path.join(os.tmpdir(), `paperboy-test-${process.pid}-${randomBytes(4).toString('hex')}.sqlite`);
  const db = openDb({ sqliteFile: file });
  await migrate(db);
  const close = db.close;
  db.close = async () => {
    await close();
    // The store and everything derived from it beside it (WAL, snapshots of search indexes).
    for (const name of fs.readdirSync(path.dirname(file))) if (name.startsWith(path.basename(file))) fs.rmSync(path.join(path.dirname(file), name), { force: true });
  };
  return db;
}

let warnedLocale = false;

/**
 * Creates a fresh, fully migrated PostgreSQL database on a server (the test server by default; the
 * benchmarks pass theirs); dropped again by `close`. It is made with the en_US.UTF-8 collation (the default
 * of most installations, where `'cs.' < 'cs/'` does not hold) whenever the server has that locale, so the
 * suite proves that no query depends on byte-order comparison of text.
 */
export async function freshPostgres(serverUrl = TEST_PG_URL): Promise<Db> {
  if (!serverUrl) throw new Error('PAPERBOY_TEST_PG_URL is not set');
  const name = `paperboy_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'en_US.UTF-8' LC_CTYPE 'en_US.UTF-8'`);
  } catch (err) {
    if (!/locale|collation/i.test((err as Error).message)) throw err;
    if (!warnedLocale) console.error(`test: the PostgreSQL server has no en_US.UTF-8 locale (${(err as Error).message}); using its default collation`);
    warnedLocale = true;
    await admin.query(`CREATE DATABASE ${name}`);
  }
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = openDb({ postgresUrl: url.toString() });
  await migrate(db);
  const close = db.close;
  db.close = async () => {
    await close();
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name}`);
    await c.end();
  };
  return db;
}

/**
 * Runs the same suite on SQLite and, when PAPERBOY_TEST_PG_URL is set, on PostgreSQL; otherwise the
 * PostgreSQL half is reported as skipped with the variable that enables it.
 */
export function describeEachDatabase(name: string, suite: (open: () => Promise<Db>) => void): void {
  describe(`${name} [sqlite]`, () => suite(freshSqlite));
  if (TEST_PG_URL) describe(`${name} [postgres]`, () => suite(() => freshPostgres()));
  else describe(`${name} [postgres]`, { skip: 'PostgreSQL half skipped: set PAPERBOY_TEST_PG_URL=postgres://... to run it' }, () => {});
}
