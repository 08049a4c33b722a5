/**
 * Two `paperboy serve` processes started at once on an empty store: both must come up (neither dies on a
 * duplicate key while both migrate and load the demo corpus), and the store must hold one demo load.
 * Real processes, a real SQLite file and, when PAPERBOY_TEST_PG_URL is set, a real PostgreSQL database.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import type { Db } from '../src/db/database.ts';
import { openDb } from '../src/db/database.ts';
import { loadDemoIfEmpty } from '../src/demo/load-demo.ts';
import { countAll } from '../src/papers/papers.repo.ts';
import { freshSqlite, TEST_PG_URL } from './databases.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-startup-'));
  dirs.push(dir);
  return dir;
};

/** Starts `paperboy serve` and resolves once it listens (true) or exits first (false, with its output). */
function serve(env: Record<string, string>): Promise<{ up: boolean; output: string; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', JOBS: 'off', LOG_LEVEL: 'info', ...env },
  });
  let output = '';
  return new Promise((resolve) => {
    const stop = () => child.kill('SIGKILL');
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Paperboy is serving/.test(output)) resolve({ up: true, output, stop });
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', () => resolve({ up: false, output, stop }));
  });
}

/** What one demo load gives, from a store nobody else touches. */
async function oneDemoLoad() {
  const db = await freshSqlite();
  await loadDemoIfEmpty(db);
  const summary = await storeSummary(db);
  await db.close();
  return summary;
}

async function storeSummary(db: Db) {
  const counts = await countAll(db.kysely);
  // Sorted here: PostgreSQL's en_US collation orders titles differently from SQLite's bytes.
  const titles = (await db.kysely.selectFrom('papers').select('title').execute()).map((r) => r.title).sort();
  return { counts, titles };
}

async function bothStart(env: (i: number) => Record<string, string>) {
  const servers = await Promise.all([serve(env(0)), serve(env(1))]);
  servers.forEach((s) => s.stop());
  for (const s of servers) assert.ok(s.up, `an instance died at start-up:\n${s.output}`);
  assert.equal(servers.filter((s) => /Loaded the demo corpus/.test(s.output)).length, 1, 'exactly one instance loaded the demo');
}

describe('two instances starting at once on an empty store', () => {
  test('SQLite: both come up and the store holds one demo load', async () => {
    const dataDir = tempDir();
    await bothStart(() => ({ DATA_DIR: dataDir, DATABASE_URL: '' }));
    const db = openDb({ sqliteFile: path.join(dataDir, 'paperboy.sqlite') });
    assert.deepEqual(await storeSummary(db), await oneDemoLoad());
    await db.close();
  });

  test('PostgreSQL: both come up and the store holds one demo load', { skip: TEST_PG_URL ? false : 'set PAPERBOY_TEST_PG_URL to run it' }, async () => {
    const name = `paperboy_startup_${Date.now()}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(TEST_PG_URL!);
    url.pathname = `/${name}`;
    const db = openDb({ postgresUrl: url.toString() });
    try {
      await bothStart(() => ({ DATA_DIR: tempDir(), DATABASE_URL: url.toString() }));
      assert.deepEqual(await storeSummary(db), await oneDemoLoad());
    } finally {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
