/**
 * Keeping and moving a store, with the real CLI: `paperboy backup` while another process keeps writing
 * (the copy is of one instant: no half-written paper), `paperboy restore` into another data directory,
 * `paperboy move-store` from a SQLite store with rows in the community, mail and sources tables into an
 * empty PostgreSQL database (every count and checksum equal, a second move into it refused), and
 * `paperboy export --user` with the reader's rows and none of their secrets, on both databases.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { ownedBy } from '../src/accounts/user.ts';
import { addPaper, createCollection } from '../src/collections/collections.service.ts';
import { postComment } from '../src/comments/comments.service.ts';
import { setReadingState } from '../src/community/reading.service.ts';
import { setVote } from '../src/community/votes.service.ts';
import { migrate, openDb, type Db } from '../src/db/database.ts';
import { enqueueMessages } from '../src/mail/outbox.repo.ts';
import { addRecords } from '../src/papers/papers.service.ts';
import { exportUserData } from '../src/ops/user-export.service.ts';
import { loadConfig } from '../src/config.ts';
import { createApp } from '../src/http/app.ts';
import { addTestUser, bearerFor, sessionCookieFor } from './accounts-fixtures.ts';
import { describeEachDatabase, TEST_PG_URL } from './databases.ts';
import { addSubscribers, fixturePapers } from './mail-fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);
const paperboy = (args: string[], env: Record<string, string>) =>
  run(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), ...args], { cwd: ROOT, env: { ...process.env, DEMO_CORPUS: 'off', LOG_LEVEL: 'error', DATABASE_URL: '', ...env }, maxBuffer: 64 * 1024 * 1024 });

/** A reader with a vote, a reading state, a collection with a note, a comment, a session and a token. */
async function addReaderData(db: Db): Promise<{ email: string; secrets: string[] }> {
  const user = await addTestUser(db, 'reader@example.org');
  const [p1, p2] = (await db.kysely.selectFrom('papers').select('id').orderBy('id').limit(2).execute()).map((r) => r.id);
  await setVote(db, user, p1, true);
  await setReadingState(db, user, p2, 'read');
  const c = await createCollection(db, user, { name: 'Thesis reading', visibility: 'private' });
  assert.ok(c !== 'too-many');
  await addPaper(db, ownedBy(user, c)!, p1, 'cite in chapter 2');
  const comment = await postComment(db, user, { paperId: p1, body: 'A **clear** proof.' });
  assert.ok(typeof comment === 'object');
  const cookie = await sessionCookieFor(db, { publicBaseUrl: 'http://localhost' }, user);
  const bearer = await bearerFor(db, user);
  return { email: user.email, secrets: [cookie.split('=')[1], bearer.slice('Bearer '.length)] };
}

describe('backup and restore of the SQLite store', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-backup-'));
  const store = path.join(dir, 'data', 'paperboy.sqlite');
  let db: Db;
  before(async () => {
    db = openDb({ sqliteFile: store });
    await migrate(db);
    await addRecords(db, fixturePapers());
  });
  after(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a backup taken while another process writes is one consistent instant; restore brings it back', { timeout: 120_000 }, async () => {
    // This process keeps adding papers (each with its byline, in one transaction) while the CLI copies.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      for (let batch = 0; writing; batch++) {
        const records = Array.from({ length: 20 }, (_, i) => ({ ...fixturePapers()[0], arxivId: `2608.${String(batch * 20 + i).padStart(5, '0')}v1`, title: `Written during the backup ${batch}-${i}`, authors: ['Writer One', 'Writer Two'] }));
        await addRecords(db, records);
        written += records.length;
        await new Promise((r) => setImmediate(r));
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const backup = path.join(dir, 'backups', 'copy.sqlite');
    const out = await paperboy(['backup', backup], { DATA_DIR: path.dirname(store) });
    const writtenAtEnd = written;
    writing = false;
    await writer;
    assert.match(out.stdout, /Backed up \d+ papers to .*copy\.sqlite/);
    assert.ok(writtenAtEnd > 0, 'the writer was writing');

    const copy = new SqliteDatabase(backup, { readonly: true });
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    const papers = (copy.prepare('select count(*) as n from papers').get() as { n: number }).n;
    const orphans = (copy.prepare('select count(*) as n from papers p where not exists (select 1 from paper_authors a where a.paper_id = p.id)').get() as { n: number }).n;
    copy.close();
    assert.ok(papers >= 24 && papers <= 24 + writtenAtEnd, `${papers} papers: between the start and the end of the backup`);
    assert.equal(orphans, 0, 'no paper without its byline: each write is in the copy whole or not at all');
    await assert.rejects(paperboy(['backup', backup], { DATA_DIR: path.dirname(store) }), /exists already/);

    // Restore into another data directory that has a store of its own: that one is kept aside.
    const other = path.join(dir, 'other');
    await paperboy(['migrate'], { DATA_DIR: other });
    fs.writeFileSync(path.join(other, 'paperboy.sqlite.terms'), 'a stale term index');
    const restored = await paperboy(['restore', backup], { DATA_DIR: other });
    assert.match(restored.stdout, new RegExp(`Restored ${papers} papers .* The store it replaced is at .*before-restore-`));
    const stats = JSON.parse((await paperboy(['stats', '--json'], { DATA_DIR: other })).stdout);
    assert.equal(stats.papers, papers);
    assert.ok(!fs.existsSync(path.join(other, 'paperboy.sqlite.terms')), 'derived files of the replaced store are gone');
    fs.writeFileSync(path.join(dir, 'not-a-store'), 'hello');
    await assert.rejects(paperboy(['restore', path.join(dir, 'not-a-store')], { DATA_DIR: other }), /not a (readable|usable) SQLite file/);
  });
});

describe('move-store from SQLite to PostgreSQL', { skip: TEST_PG_URL ? false : 'set PAPERBOY_TEST_PG_URL=postgres://... to run it' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-move-'));
  const name = `paperboy_move_${Date.now()}`;
  let target: string;
  before(async () => {
    const db = openDb({ sqliteFile: path.join(dir, 'paperboy.sqlite') });
    await migrate(db);
    await addRecords(db, fixturePapers());
    await addReaderData(db);
    await addSubscribers(db, 3);
    await enqueueMessages(db.kysely, [{ key: 'test:1', kind: 'confirm', subscriberId: 1, payload: { nonce: 'n' }, dueAt: new Date('2030-01-01') }]);
    await db.kysely.insertInto('sources').values({ kind: 'arxiv', target: 'cs.LG', schedule: 'listing', origin: 'cli', created_at: new Date().toISOString() } as never).execute();
    await db.close();
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(TEST_PG_URL!);
    url.pathname = `/${name}`;
    target = url.toString();
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  test('every table arrives with equal counts and checksums; the moved store serves; a second move is refused', { timeout: 120_000 }, async () => {
    const out = await paperboy(['move-store', '--to', target], { DATA_DIR: dir });
    for (const table of ['papers', 'paper_vectors', 'users', 'paper_votes', 'collections', 'collection_papers', 'comments', 'subscribers', 'mail_outbox', 'sources', 'sessions']) {
      assert.match(out.stdout, new RegExp(`^${table}\\s+\\d+ rows\\s+checksum [0-9a-f]{16} equal`, 'm'), `${table} copied and verified`);
    }
    assert.doesNotMatch(out.stdout, /MISMATCH/);
    assert.match(out.stdout, /every count and checksum is equal/);
    // The copied store works as a PostgreSQL store: keyword search (its index was built there) and new ids.
    const found = JSON.parse((await paperboy(['search', 'protein', '--mode', 'keyword', '--json'], { DATA_DIR: dir, DATABASE_URL: target })).stdout);
    assert.ok(found.results.length > 0, 'keyword search finds papers in the moved store');
    const moved = openDb({ postgresUrl: target });
    try {
      const more = await addTestUser(moved, 'new@example.org');
      const max = await moved.kysely.selectFrom('users').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow();
      assert.equal(more.id, Number(max.m), 'sequences continue after the copied ids');
    } finally {
      await moved.close();
    }
    await assert.rejects(paperboy(['move-store', '--to', target], { DATA_DIR: dir }), /not empty/);
  });
});

describeEachDatabase('export --user', (open) => {
  let db: Db;
  before(async () => {
    db = await open();
    await addRecords(db, fixturePapers());
  });
  after(() => db.close());

  test("a reader's export holds their rows and none of their secrets", async () => {
    const { email, secrets } = await addReaderData(db);
    await addTestUser(db, 'someone-else@example.org');
    const data = await exportUserData(db, email);
    assert.ok(data);
    assert.equal(data.account.email, email);
    assert.equal(data.account.hasPassword, false);
    for (const table of ['paper_votes', 'reading_states', 'collections', 'collection_papers', 'comments', 'sessions', 'api_tokens']) assert.ok(data.tables[table]?.length, `${table} exported`);
    assert.equal(data.tables.collection_papers[0].note, 'cite in chapter 2');
    assert.match(String(data.tables.comments[0].body), /A \*\*clear\*\* proof/);
    assert.ok(Object.values(data.papers).some((p) => p.arxivId?.startsWith('2607.')), 'the papers mentioned are named');
    const text = JSON.stringify(data);
    assert.doesNotMatch(text, /token_hash|password_hash|"salt"|someone-else/);
    for (const secret of secrets) assert.ok(!text.includes(secret), 'no session cookie or API token in the export');
    assert.equal(await exportUserData(db, 'nobody@example.org'), undefined);

    // The account page's download: the same export, for the signed-in reader only.
    const config = { ...loadConfig({}), logLevel: 'silent' as const, publicBaseUrl: 'http://localhost' };
    const app = createApp({ db, config, cacheTtlMs: 0 });
    const user = (await db.kysely.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow());
    const cookie = await sessionCookieFor(db, config, user);
    const page = await app.request('/account', { headers: { Cookie: cookie } });
    assert.match(await page.text(), /href="\/account\/export"/);
    const download = await app.request('/account/export', { headers: { Cookie: cookie } });
    assert.equal(download.status, 200);
    assert.match(download.headers.get('Content-Disposition') ?? '', /^attachment; filename="paperboy-\d{4}-\d{2}-\d{2}\.json"$/);
    assert.equal(download.headers.get('Cache-Control'), 'private, no-store');
    const body = await download.json();
    assert.equal(body.account.email, email);
    assert.ok(body.tables.paper_votes.length);
    const anonymous = await app.request('/account/export');
    assert.notEqual(anonymous.status, 200, 'no export without signing in');
  });
});
