import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { freshSqlite } from '../../test/databases.ts';
import { type Db, quickReads } from './database.ts';

// A read that takes the database a few hundred milliseconds: counting a recursive sequence.
const slowRead = sql<{ n: number }>`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 3000000) SELECT count(*) AS n FROM seq`;

let db: Db;
before(async () => {
  db = await freshSqlite();
});
after(() => db.close());

test('a slow read runs on a reader thread: the event loop keeps turning meanwhile', async () => {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  const { rows } = await slowRead.execute(db.kysely);
  const took = performance.now() - started;
  clearInterval(timer);
  longest = Math.max(longest, performance.now() - last); // the gap up to now, had the loop been held to the end
  assert.equal(Number(rows[0].n), 3_000_000);
  assert.ok(took > 100, `the read itself took ${took.toFixed(0)} ms`);
  assert.ok(longest < took / 2, `the loop was held ${longest.toFixed(0)} ms of ${took.toFixed(0)} ms`);
});

test('reads outside a transaction see what was committed, never what is still being written', async () => {
  await db.kysely.insertInto('organizations').values({ slug: 'before', name: 'Before' }).execute();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const writing = db.kysely.transaction().execute(async (trx) => {
    await trx.insertInto('organizations').values({ slug: 'inside', name: 'Inside' }).execute();
    await held;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const slugs = async () => (await db.kysely.selectFrom('organizations').select('slug').orderBy('slug').execute()).map((r) => r.slug);
  assert.deepEqual(await slugs(), ['before'], 'a read during the transaction does not wait for it, nor see it');
  release();
  await writing;
  assert.deepEqual(await slugs(), ['before', 'inside']);
});

test('writes outside transactions queue behind an open transaction instead of failing', async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const writing = db.kysely.transaction().execute(async (trx) => {
    await trx.insertInto('organizations').values({ slug: 'first', name: 'First' }).execute();
    await held;
  });
  await new Promise((resolve) => setTimeout(resolve, 10));
  const second = db.kysely.insertInto('organizations').values({ slug: 'second', name: 'Second' }).execute();
  setTimeout(release, 30);
  await Promise.all([writing, second]);
  const rows = await db.kysely.selectFrom('organizations').select('slug').where('slug', 'in', ['first', 'second']).orderBy('id').execute();
  assert.deepEqual(rows.map((r) => r.slug), ['first', 'second']);
});

test('a failing read on a reader thread rejects with the SQLite error', async () => {
  await assert.rejects(sql`SELECT * FROM no_such_table`.execute(db.kysely), /no such table/);
});

test('quick reads (Db.quick) run on this thread, see each committed write at once, never an open transaction, and cannot write', async () => {
  const quick = quickReads(db);
  assert.notEqual(quick, db.kysely, 'a SQLite file has its own quick connection');
  const slugs = async () => (await quick.selectFrom('organizations').select('slug').where('slug', 'like', 'quick-%').orderBy('slug').execute()).map((r) => r.slug);
  await db.kysely.insertInto('organizations').values({ slug: 'quick-1', name: 'Quick 1' }).execute();
  assert.deepEqual(await slugs(), ['quick-1'], 'the write just committed is seen');
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const writing = db.kysely.transaction().execute(async (trx) => {
    await trx.insertInto('organizations').values({ slug: 'quick-2', name: 'Quick 2' }).execute();
    await held;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(await slugs(), ['quick-1'], 'not what an open transaction wrote, and without waiting for it');
  release();
  await writing;
  assert.deepEqual(await slugs(), ['quick-1', 'quick-2']);
  await assert.rejects(quick.insertInto('organizations').values({ slug: 'quick-3', name: 'Quick 3' }).execute(), /readonly/);
});
