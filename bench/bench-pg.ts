/**
 * PostgreSQL databases for the benchmarks that run whole `paperboy` processes (import, scale, fleet): each
 * gets a database of its own on the server named by PAPERBOY_BENCH_PG_URL (or the test server), dropped after.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server benchmarks may create databases on, if any. */
export const BENCH_PG_URL = process.env.PAPERBOY_BENCH_PG_URL ?? process.env.PAPERBOY_TEST_PG_URL;

/** A new empty database `paperboy_<label>_…` on `serverUrl`: its URL and how to drop it. */
export async function createBenchDatabase(serverUrl: string, label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `paperboy_${label}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
