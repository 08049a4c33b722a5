import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/databases.ts';
import { loadConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { loadSearchCorpus } from '../../search/testing.ts';
import { createApp } from '../app.ts';

const config = { ...loadConfig({}), logLevel: 'silent' as const, publicBaseUrl: 'https://papers.example.org' };

describeEachDatabase('search API', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  before(async () => {
    db = await open();
    await loadSearchCorpus(db);
    app = createApp({ db, config, cacheTtlMs: 0 });
  });
  after(async () => db?.close());

  const get = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
  };

  test('GET /api/search returns ranked results with the mode actually used', async () => {
    const { status, body } = await get('/api/search?q=diffusion%20-survey&mode=hybrid&limit=5');
    assert.equal(status, 200);
    assert.equal(body.query, 'diffusion -survey');
    assert.equal(body.requestedMode, 'hybrid');
    assert.equal(body.mode, 'keyword', 'no vectors stored for the configured embedder: keyword fallback');
    assert.deepEqual(body.results.map((r: { id: string }) => r.id), ['2505.00006']);
    const [first] = body.results;
    assert.equal(first.title, 'Diffusion models beat GANs on image synthesis');
    assert.equal(first.url, 'https://papers.example.org/papers/2505.00006');
    assert.deepEqual(first.matchedTerms, ['diffusion']);
    assert.equal(typeof first.score, 'number');
  });

  test('filters as parameters: cat, org, author, since, until (repeatable or comma-separated)', async () => {
    const ids = async (qs: string) => (await get(`/api/search?${qs}`)).body.results.map((r: { id: string }) => r.id).sort();
    assert.deepEqual(await ids('q=image&cat=cs.CV&until=2025-06'), ['2503.00001', '2505.00006']);
    assert.deepEqual(await ids('q=image&org=openai'), ['2505.00006', '2601.00003']);
    assert.deepEqual(await ids('q=supervised&author=lecun'), ['2503.00001']);
    assert.deepEqual(await ids('q=image&cat=cs.IR,cs.CL&since=2026'), ['2601.00003']);
    assert.deepEqual(await ids('cat=cs.CL&since=2026-01-01'), ['2601.00003'], 'filters alone list the newest papers');
  });

  test('sort, counts, suggestion and related flags come through the API', async () => {
    const newest = await get('/api/search?q=image&sort=newest&limit=10');
    assert.equal(newest.status, 200);
    assert.equal(newest.body.sort, 'newest');
    assert.deepEqual(newest.body.results.map((r: { id: string }) => r.id), ['2601.00003', '2511.00004', '2505.00006', '2503.00001']);
    assert.equal(newest.body.total, 4);
    assert.equal(newest.body.totalAtLeast, false);
    assert.equal(newest.body.closest, false);
    assert.equal((await get('/api/search?q=image&sort=oldest')).status, 400);
  });

  test('bad parameters are 400 with a message', async () => {
    assert.equal((await get('/api/search?q=x&mode=fuzzy')).status, 400);
    assert.equal((await get('/api/search?q=x&limit=0')).status, 400);
    assert.equal((await get('/api/search?q=x&since=last-week')).status, 400);
    assert.equal((await get('/api/search')).status, 400);
  });

  test('a request may not ask for more than a filter holds: 400 naming the limit, never a 500 or a stall', async () => {
    const authors = Array.from({ length: 300 }, (_, i) => `author=Name${i}`).join('&');
    const many = await get(`/api/search?q=image&${authors}`);
    assert.equal(many.status, 400);
    assert.match(many.body.error.message, /At most 20 author values/);
    const inQuery = Array.from({ length: 90 }, (_, i) => `author:name${i}`).join(' ');
    const operators = await get(`/api/search?q=${encodeURIComponent(`image ${inQuery}`)}`);
    assert.equal(operators.status, 400);
    assert.match(operators.body.error.message, /At most 20 authors/);
    const list = await app.request(`/day/2025-03-01?${Array.from({ length: 21 }, (_, i) => `cat=cs.X${i}`).join('&')}`);
    assert.equal(list.status, 400);
    assert.match(await list.text(), /At most 20 category values/);
  });

  test('GET /api/papers/{ref}/similar: neighbours of a paper, by arXiv id or numeric id', async () => {
    const { status, body } = await get('/api/papers/2503.00001/similar?limit=3');
    assert.equal(status, 200);
    assert.equal(body.paper.id, '2503.00001');
    assert.ok(body.results.length > 0 && body.results.length <= 3);
    assert.ok(!body.results.some((r: { id: string }) => r.id === '2503.00001'));
    assert.equal(body.results[0].via, 'keyword');
    assert.equal((await get('/api/papers/2503.00001v1/similar')).status, 200);
    assert.equal((await get('/api/papers/2999.99999/similar')).status, 404);
    assert.equal((await get('/api/papers/2503.00001')).status, 200, 'the paper route still answers');
  });
});
