/**
 * Done when: a fresh `npm start` (`paperboy serve`) with FETCH_ARXIV set and ARXIV_OAI_URL pointed at a local
 * replay fills the store without a command typed — the never-run source backfills the last listing days at
 * start, with real listing days — and /admin/sources shows the run. A real process on a real store.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { newPapers, startOaiReplay, type OaiReplay } from '../src/fetch/oai-replay.ts';
import { arxivCalendar, lastListingDays } from '../src/sources/calendar.ts';
import { TEST_PG_URL } from './databases.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const TOKEN = 'serve-admin-token-0123456789';
const DAYS = lastListingDays(arxivCalendar(), new Date(), 7);
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** `paperboy serve` as `npm start` runs it; resolves with its URL once it listens. */
async function serve(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), 'serve'], { cwd: ROOT, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env } });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  cleanups.push(() => void child.kill('SIGKILL'));
  const url = await new Promise<string>((resolve, reject) => {
    const seen = () => {
      const m = /Paperboy is serving .* at (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', seen);
    child.once('exit', () => reject(new Error(`serve exited:\n${output}`)));
  });
  return { url, child, output: () => output };
}

async function fillsTheStore(replay: OaiReplay, env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-serve-sources-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const started = Date.now();
  const { url, child, output } = await serve({
    DATA_DIR: dataDir,
    DEMO_CORPUS: 'off',
    FETCH_ARXIV: 'hep-ex',
    ARXIV_OAI_URL: replay.oaiUrl,
    ARXIV_API_URL: replay.apiUrl,
    ARXIV_REQUEST_INTERVAL_MS: '100',
    ADMIN_TOKEN: TOKEN,
    FETCH_CONTACT: 'ops@lab.example',
    ...env,
  });
  // Nobody types anything: the job seeds the source from FETCH_ARXIV and backfills at once.
  for (;;) {
    if (/sources: arXiv hep-ex: success, 14 added/.test(output())) break;
    if (Date.now() - started > 90_000) assert.fail(`the store was not filled:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.match(output(), /sources: following arXiv hep-ex \(from the environment\)/);
  const first = replay.requests.at(-1)!;
  assert.deepEqual(Object.fromEntries(first.url.searchParams), { verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'physics:hep-ex', from: DAYS[0] });
  assert.equal(first.headers['user-agent'], 'Paperboy/0.1 (+self-hosted; mailto:ops@lab.example)');

  const day = (await (await fetch(`${url}/api/day`)).json()) as { period: { key: string }; total: number };
  assert.deepEqual([day.period.key, day.total], [DAYS[6], 2], 'the newest listing day, with its papers');
  const archive = (await (await fetch(`${url}/api/archive`)).text());
  for (const d of DAYS) assert.match(archive, new RegExp(d), `${d} is in the archive`);
  const admin = (await (await fetch(`${url}/admin/sources`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  assert.match(admin, new RegExp(`arXiv hep-ex listing ok .* Latest runs .* arXiv hep-ex ${DAYS[0]} – ${DAYS[6]} success 14 added · 0 updated 0 unchanged · 0 skipped via oai`));

  child.kill('SIGTERM');
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, output());
}

describe('a fresh `npm start` with FETCH_ARXIV fills the store by itself', () => {
  test('SQLite', async () => {
    const replay = await startOaiReplay({ records: newPapers(DAYS, 2) });
    cleanups.push(() => replay.close());
    await fillsTheStore(replay, { DATABASE_URL: '' });
  });

  test('PostgreSQL', { skip: TEST_PG_URL ? false : 'set PAPERBOY_TEST_PG_URL to run it' }, async () => {
    const name = `paperboy_serve_sources_${Date.now()}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });
    const url = new URL(TEST_PG_URL!);
    url.pathname = `/${name}`;
    const replay = await startOaiReplay({ records: newPapers(DAYS, 2) });
    cleanups.push(() => replay.close());
    await fillsTheStore(replay, { DATABASE_URL: url.toString() });
  });
});
