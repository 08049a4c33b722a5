/** The `paperboy` command as a newcomer runs it: a real process, a real store under DATA_DIR, real HTTP. */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { startTestServer, type TestServer } from '../src/fetch/test-server.ts';
import { syntheticJsonl } from './synthetic-papers.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURES = path.join(ROOT, 'test/fixtures');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-cli-'));

/** Runs the CLI; resolves with its output and exit code instead of throwing on failure. */
async function paperboy(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', ...env },
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function stats() {
  return JSON.parse((await paperboy(['stats', '--json'])).stdout) as { papers: number; authors: number };
}

after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('paperboy CLI', () => {
  test('import prints a summary, and a second run reports everything unchanged', async () => {
    const file = path.join(FIXTURES, 'jsonl/arxiv_cs_daily_sample.jsonl.gz');
    const first = await paperboy(['import', file]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /50 added, 0 updated, 0 unchanged, 0 skipped/);
    const second = await paperboy(['import', file]);
    assert.match(second.stdout, /0 added, 0 updated, 50 unchanged, 0 skipped/);
    assert.equal((await stats()).papers, 50);
  });

  test('a truncated file fails with one clear error and imports nothing', async () => {
    const data = fs.readFileSync(path.join(FIXTURES, 'arxiv_oai_pmh/2017-12_ListRecords_arXiv_set-physics-hep-th.xml'));
    const cut = path.join(dataDir, 'cut.xml');
    fs.writeFileSync(cut, data.subarray(0, data.length / 2));
    const r = await paperboy(['import', cut]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cut\.xml: truncated XML: the file ends at line \d+.*nothing from this file was imported/);
    assert.equal((await stats()).papers, 50);
  });

  test('search prints ranked results, and --json is machine-readable', async () => {
    const text = await paperboy(['search', 'gaussian', 'splatting']);
    assert.match(text.stdout, /^ 1\. .*Gaussian Splatting/im);
    const json = JSON.parse((await paperboy(['search', 'gaussian splatting', '--json', '--limit', '3'])).stdout);
    assert.ok(json.results.length > 0 && json.results.length <= 3);
    assert.match(json.results[0].title, /Gaussian/i);
  });

  test('a bad setting is reported by name before anything runs', async () => {
    const r = await paperboy(['stats'], { PORT: 'eighty' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /PORT: .*got "eighty"/);
    const pg = await paperboy(['stats'], { DATABASE_URL: 'mysql://x' });
    assert.match(pg.stderr, /DATABASE_URL: must start with postgres:\/\//);
  });

  describe('fetch against a local server serving real responses', () => {
    let server: TestServer;
    after(() => server?.close());

    test('fetch arxiv follows the resumption token, retries a 503 and a 429, and imports both pages', async () => {
      const page1 = fs
        .readFileSync(path.join(FIXTURES, 'arxiv_oai_pmh/2017-12_ListRecords_arXiv_set-physics-hep-ex.xml'), 'utf8')
        // The fixture is a complete list; give it a token so the harvest must ask for a second page.
        .replace('</ListRecords>', '<resumptionToken cursor="0" completeListSize="6">token-2</resumptionToken></ListRecords>');
      const page2 = fs.readFileSync(path.join(FIXTURES, 'arxiv_oai_pmh/2017-12_ListRecords_arXiv_set-physics-hep-th.xml'), 'utf8');
      server = await startTestServer((url, i) => {
        if (i === 0) return { status: 503, headers: { 'Retry-After': '0' } };
        if (url.searchParams.get('resumptionToken') === 'token-2') return i === 2 ? { status: 429, headers: { 'Retry-After': '0' } } : { status: 200, body: page2 };
        return { status: 200, body: page1 };
      });
      const r = await paperboy(['fetch', 'arxiv', '--category', 'hep-th', '--since', '2017-12-14', '--delay', '10', '--base-url', `${server.baseUrl}/oai2`]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(server.requests.length, 4, 'one 503 retry, first page, one 429 retry, second page');
      assert.equal(server.requests[0].url.searchParams.get('set'), 'physics:hep-th');
      assert.match(r.stdout, /\d+ added/);
      const again = await paperboy(['fetch', 'arxiv', '--category', 'hep-th', '--since', '2017-12-14', '--delay', '10', '--base-url', `${server.baseUrl}/oai2`]);
      assert.match(again.stdout, / 0 added, 0 updated/);
    });

    test('fetch hf-daily imports a day with upvotes; a server that keeps failing gives a clear error', async () => {
      await server?.close();
      const json = fs.readFileSync(path.join(FIXTURES, 'hf_daily_papers/2024-10-25_daily_papers_3items.json'), 'utf8');
      server = await startTestServer((url) => (url.searchParams.get('date') === '2024-10-25' ? { status: 200, body: json } : { status: 500 }));
      const ok = await paperboy(['fetch', 'hf-daily', '--date', '2024-10-25', '--base-url', server.baseUrl]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /3 added/);
      const bad = await paperboy(['fetch', 'hf-daily', '--date', '2024-10-26', '--base-url', server.baseUrl, '--retries', '1']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /500/);
      assert.match(bad.stderr, /daily_papers\?date=2024-10-26/);
    });
  });
});

/** Everything a store holds about its papers, keyed by arXiv id so row ids and write times do not matter. */
function dumpStore(dir: string) {
  const db = new SqliteDatabase(path.join(dir, 'paperboy.sqlite'), { readonly: true });
  try {
    const papers = db.prepare('SELECT * FROM papers ORDER BY arxiv_id').all() as Record<string, unknown>[];
    for (const p of papers) for (const volatile of ['id', 'created_at', 'modified_at']) delete p[volatile];
    const bylines = db.prepare('SELECT p.arxiv_id, pa.position, a.name_norm FROM paper_authors pa JOIN papers p ON p.id = pa.paper_id JOIN authors a ON a.id = pa.author_id ORDER BY 1, 2').all();
    const categories = db.prepare('SELECT p.arxiv_id, c.category, c.is_primary FROM paper_categories c JOIN papers p ON p.id = c.paper_id ORDER BY 1, 2').all();
    const authors = db.prepare('SELECT name, name_norm FROM authors ORDER BY name_norm').all();
    const indexed = db.prepare("SELECT p.arxiv_id FROM papers_fts JOIN papers p ON p.id = papers_fts.rowid WHERE papers_fts MATCH 'retrieval' ORDER BY 1").all();
    return { papers, bylines, categories, authors, indexed };
  } finally {
    db.close();
  }
}

/** Papers committed so far in a store another process is writing, or undefined before its schema exists. */
function committedPapers(dir: string): number | undefined {
  try {
    const db = new SqliteDatabase(path.join(dir, 'paperboy.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

describe('an import killed mid-way', () => {
  const TOTAL = 8000;
  const dirs = { clean: fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-clean-')), killed: fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-killed-')) };
  const file = path.join(dirs.clean, 'papers.jsonl');
  after(() => Object.values(dirs).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test('keeps what it committed, and running it again ends with the same store as one clean run', async () => {
    fs.writeFileSync(file, syntheticJsonl(TOTAL));
    const clean = await paperboy(['import', file], { DATA_DIR: dirs.clean });
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, new RegExp(`${TOTAL} added`));

    const child = spawn(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), 'import', file], {
      env: { ...process.env, DATA_DIR: dirs.killed, DATABASE_URL: '' },
      cwd: ROOT,
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let killedAt: number | undefined;
    let running = true;
    void exited.then(() => (running = false));
    while (running && killedAt === undefined) {
      const n = committedPapers(dirs.killed);
      if (n !== undefined && n > 0 && n < TOTAL) {
        child.kill('SIGKILL');
        killedAt = n;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await exited;
    assert.ok(killedAt !== undefined, 'the import was seen part-way: it commits as it goes');
    const kept = committedPapers(dirs.killed)!;
    assert.ok(kept >= killedAt && kept < TOTAL, `${kept} of ${TOTAL} papers kept after the kill`);

    const again = await paperboy(['import', file], { DATA_DIR: dirs.killed });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`${TOTAL - kept} added, 0 updated, ${kept} unchanged, 0 skipped`));
    assert.deepEqual(dumpStore(dirs.killed), dumpStore(dirs.clean));
  });
});

