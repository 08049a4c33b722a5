import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase, freshSqlite } from '../../test/databases.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { addRecords } from '../papers/papers.service.ts';
import { createApp } from './app.ts';
import { startServer } from './server.ts';

const config = { ...loadConfig({}), logLevel: 'silent' as const, publicBaseUrl: 'https://papers.example.org' };

// 35 arXiv papers listed on consecutive days (paper 35 is newest), so the list spans two pages of 30.
const listed: PaperRecord[] = Array.from({ length: 35 }, (_, i) => ({
  source: 'arxiv-atom',
  arxivId: `2401.${String(i + 1).padStart(5, '0')}v1`,
  title: `Listed paper number ${i + 1}`,
  abstract: `Abstract of listed paper ${i + 1}.`,
  authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov'],
  categories: ['cs.LG', 'cs.AI'],
  announcedOn: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
  publishedAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
}));

const hostile: PaperRecord = {
  source: 'jsonl',
  title: 'Attack <script>alert(1)</script> and <img src=x onerror=alert(1)>',
  abstract: 'Click <a href="javascript:alert(1)">here</a> or <script>alert(1)</script> and <img src=x onerror=alert(1)>.',
  authors: ['<b>Mallory</b>'],
  comment: '<img src=x onerror=alert(1)>',
  announcedOn: '2023-06-01',
  links: { code: 'javascript:alert(1)', project: 'javascript:alert(document.cookie)' },
};

const hfOnly: PaperRecord = {
  source: 'hf-daily',
  title: 'A paper known only by its title and author count',
  authorCount: 12,
  upvotes: 42,
  organization: { name: 'Example Lab' },
  announcedOn: '2023-01-01',
  links: { code: 'https://github.com/example/repo' },
};

describeEachDatabase('http app', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let hostileId: number;
  let hfId: number;

  before(async () => {
    db = await open();
    await addRecords(db, [...listed, hostile, hfOnly]);
    const ids = await db.kysely.selectFrom('papers').select(['id', 'title']).where('arxiv_id', 'is', null).execute();
    hostileId = ids.find((r) => r.title.startsWith('Attack'))!.id;
    hfId = ids.find((r) => r.title.startsWith('A paper known'))!.id;
    app = createApp({ db, config });
  });
  after(() => db.close());

  const get = async (url: string) => {
    const res = await app.request(url);
    return { res, body: await res.text() };
  };

  test('home shows the newest listing day, with the way to the day before', async () => {
    const { res, body } = await get('/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.ok(body.startsWith('<!doctype html>'));
    const titles = [...body.matchAll(/Listed paper number (\d+)</g)].map((m) => Number(m[1]));
    assert.deepEqual(titles, [35]);
    assert.match(body, /<h1>Sunday, February 4, 2024<\/h1>/);
    assert.match(body, /href="\/day\/2024-02-03" rel="prev"/);
    assert.doesNotMatch(body, /rel="next"/);
    assert.match(body, /<a href="\/authors\/\d+">Ada Lovelace<\/a>, <a href="\/authors\/\d+">Alan Turing<\/a>, .*Edsger Dijkstra<\/a> et al\./);
    assert.match(body, /href="\/papers\/2401\.00035"/);
  });

  test('a month pages through its papers 30 at a time, newest first when asked; past the end is a 404', async () => {
    const first = await get('/month/2024-01?sort=newest');
    assert.equal(first.res.status, 200);
    const titles = [...first.body.matchAll(/Listed paper number (\d+)</g)].map((m) => Number(m[1]));
    assert.deepEqual(titles, Array.from({ length: 30 }, (_, i) => 31 - i));
    assert.match(first.body, /31 papers/);
    assert.match(first.body, /href="\/month\/2024-01\?sort=newest&amp;page=2" rel="next"/);
    const second = await get('/month/2024-01?sort=newest&page=2');
    assert.deepEqual([...second.body.matchAll(/Listed paper number (\d+)</g)].map((m) => Number(m[1])), [1]);
    assert.match(second.body, /href="\/month\/2024-01\?sort=newest" rel="prev"/);
    assert.equal((await get('/month/2024-01?page=3')).res.status, 404);
    assert.equal((await get('/?page=0')).res.status, 400);
    assert.equal((await get('/?page=abc')).res.status, 400);
  });

  test('a list item with only an author count says so, and shows organization, upvotes and code', async () => {
    const { body } = await get('/day/2023-01-01');
    assert.match(body, /12 authors/);
    assert.match(body, /<a href="\/orgs\/example-lab">Example Lab<\/a>/);
    assert.match(body, /▲<\/span> <span class="vote-count">42</);
    assert.match(body, /href="https:\/\/github.com\/example\/repo"[^>]*>Code</);
  });

  test('paper page by arXiv id shows the paper', async () => {
    const { res, body } = await get('/papers/2401.00007');
    assert.equal(res.status, 200);
    assert.match(body, /<h1>Listed paper number 7<\/h1>/);
    assert.match(body, /<a href="\/authors\/\d+">Ada Lovelace<\/a>, .*<a href="\/authors\/\d+">Barbara Liskov<\/a><\/p>/);
    assert.match(body, /href="https:\/\/arxiv.org\/pdf\/2401.00007"/);
    assert.match(body, /<time datetime="2024-01-07">Jan 7, 2024<\/time>/);
    assert.match(body, /cs\.LG, cs\.AI/);
    assert.match(body, /Sources: arXiv API/);
  });

  test('a versioned or prefixed arXiv id, and the numeric id of an arXiv paper, redirect to the canonical URL', async () => {
    for (const url of ['/papers/2401.00007v1', '/papers/arXiv:2401.00007']) {
      const { res } = await get(url);
      assert.equal(res.status, 301, url);
      assert.equal(res.headers.get('location'), '/papers/2401.00007');
    }
    const [row] = await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', '2401.00007').execute();
    const { res } = await get(`/papers/id/${row.id}`);
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), '/papers/2401.00007');
  });

  test('paper page by numeric id for a paper without arXiv id', async () => {
    const { res, body } = await get(`/papers/id/${hfId}`);
    assert.equal(res.status, 200);
    assert.match(body, /A paper known only by its title and author count/);
    assert.match(body, /12 authors/);
    assert.match(body, /Example Lab/);
  });

  test('unknown papers and unknown pages are 404 pages without internals', async () => {
    for (const url of ['/papers/2401.99999', '/papers/id/999999', '/papers/id/99999999999', '/papers/not-an-id', '/nowhere']) {
      const { res, body } = await get(url);
      assert.equal(res.status, 404, url);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(body, /Not found/);
      assert.doesNotMatch(body, /at .*\.ts:\d+/);
    }
  });

  test('user-supplied HTML is shown as text and javascript: links are never rendered', async () => {
    for (const url of [`/papers/id/${hostileId}`, '/day/2023-06-01', '/search?q=mallory', '/trending?page=2']) {
      const { body: page } = await get(url);
      // Paperboy's own script is the one script a page may have.
      const body = page.replace(/<script src="\/assets\/app\.js\?v=[\w-]+" defer=""><\/script>/, '');
      assert.doesNotMatch(body, /<script/i, url);
      assert.doesNotMatch(body, /<img/i, url);
      assert.doesNotMatch(body, /<a href="javascript:/i, url);
      assert.doesNotMatch(body, /href="javascript:/i, url);
      assert.doesNotMatch(body, /<b>Mallory/, url);
      assert.match(body, /Attack &lt;script&gt;alert\(1\)&lt;\/script&gt; and &lt;img src=x onerror=alert\(1\)&gt;/, url);
    }
    const { body } = await get(`/papers/id/${hostileId}`);
    assert.match(body, /Click &lt;a href=&quot;javascript:alert\(1\)&quot;&gt;here&lt;\/a&gt;/);
    assert.match(body, /&lt;b&gt;Mallory&lt;\/b&gt;/);
    assert.doesNotMatch(body, />Code</);
    assert.doesNotMatch(body, />Project page</);
  });

  test('every response carries a strict Content-Security-Policy', async () => {
    const { res } = await get('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /style-src-attr 'none'/);
    assert.doesNotMatch(csp, /https?:|unsafe-inline|unsafe-eval|\*/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });

  test('the stylesheet is served by Paperboy with a cache header', async () => {
    const home = await get('/');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(home.body)![1];
    assert.match(href, /^\/assets\/app\.css\?v=/);
    const { res, body } = await get(href);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/css/);
    assert.match(res.headers.get('cache-control') ?? '', /max-age=31536000/);
    assert.match(body, /prefers-color-scheme: dark/);
    assert.match((await get('/assets/app.css')).res.headers.get('cache-control') ?? '', /max-age=\d+/);
    assert.equal((await get('/assets/constructor')).res.status, 404);
  });

  test('GET /api/papers pages through the same list as JSON, with absolute URLs', async () => {
    const first = await app.request('/api/papers');
    assert.equal(first.status, 200);
    const data = await first.json();
    assert.equal(data.total, 37);
    assert.equal(data.pageCount, 2);
    assert.equal(data.papers.length, 30);
    assert.equal(data.papers[0].arxivId, '2401.00035');
    assert.equal(data.papers[0].url, 'https://papers.example.org/papers/2401.00035');
    assert.deepEqual(data.papers[0].authors.map((a: { name: string }) => a.name).slice(0, 2), ['Ada Lovelace', 'Alan Turing']);
    assert.equal(data.prev, null);
    assert.equal(data.next, 'https://papers.example.org/api/papers?page=2');
    const second = await (await app.request('/api/papers?page=2')).json();
    assert.equal(second.papers.length, 7);
    assert.equal(second.papers.at(-1).url, `https://papers.example.org/papers/id/${hfId}`);
    const bad = await app.request('/api/papers?page=-1');
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.status, 400);
  });

  test('GET /api/papers/:ref answers by arXiv id (any spelling) and numeric id; unknown is a JSON 404', async () => {
    for (const url of ['/api/papers/2401.00007', '/api/papers/2401.00007v1']) {
      const res = await app.request(url);
      assert.equal(res.status, 200, url);
      const paper = await res.json();
      assert.equal(paper.title, 'Listed paper number 7');
      assert.equal(paper.url, 'https://papers.example.org/papers/2401.00007');
      assert.deepEqual(paper.categories, ['cs.LG', 'cs.AI']);
    }
    const hf = await (await app.request(`/api/papers/id/${hfId}`)).json();
    assert.equal(hf.authorCount, 12);
    assert.equal(hf.upvotes, 42);
    const missing = await app.request('/api/papers/2401.99999');
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /application\/json/);
    assert.equal((await missing.json()).error.status, 404);
  });
});

describeEachDatabase('http app on an empty store', (open) => {
  let db: Db;
  before(async () => {
    db = await open();
  });
  after(() => db.close());

  test('the home page explains how to import papers', async () => {
    const res = await createApp({ db, config }).request('/');
    assert.equal(res.status, 200);
    const body = await res.text();
    assert.match(body, /No papers yet/);
    assert.match(body, /npx paperboy import FILE/);
  });
});

test('an unexpected error is a generic 500 page, never a stack trace', async () => {
  const broken = { kysely: null, dialect: 'sqlite', location: ':memory:', close: async () => {} } as unknown as Db;
  const app = createApp({ db: broken, config });
  const res = await app.request('/');
  assert.equal(res.status, 500);
  const body = await res.text();
  assert.match(body, /Something went wrong/);
  assert.doesNotMatch(body, /TypeError|at \S+ \(|\.ts:\d+/);
  const api = await app.request('/api/papers');
  assert.equal(api.status, 500);
  assert.deepEqual(Object.keys((await api.json()).error), ['status', 'title', 'message']);
});

test('startServer listens on the configured port, answers over HTTP and closes', async () => {
  const db = await freshSqlite();
  const running = await startServer({ ...config, host: '127.0.0.1', port: 0 }, db);
  try {
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${running.url}/`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /No papers yet/);
    assert.equal((await fetch(`${running.url}/`, { method: 'HEAD' })).status, 200);
  } finally {
    await running.close();
    await db.close();
  }
});
