import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/databases.ts';
import { loadConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { PaperRecord } from '../../papers/paper.ts';
import { addRecords } from '../../papers/papers.service.ts';
import { createApp } from '../app.ts';

const config = { ...loadConfig({}), logLevel: 'silent' as const, publicBaseUrl: 'https://papers.example.org' };
const now = () => new Date('2026-11-25T12:00:00Z');

// Friday 2026-11-20: 31 papers (two pages); Tuesday 2026-11-24 one, the newest day; nothing on Monday 2026-11-23.
const records: PaperRecord[] = [
  ...Array.from({ length: 31 }, (_, i) => ({ source: 'hf-daily' as const, arxivId: `2611.${String(i + 1).padStart(5, '0')}`, title: `Friday paper ${i + 1}`, announcedOn: '2026-11-20' })),
  { source: 'hf-daily', arxivId: '2611.00100', title: 'Tuesday paper', announcedOn: '2026-11-24' },
];

describeEachDatabase('daily routes', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const get = async (url: string, to = app) => {
    const res = await to.request(url);
    return { res, body: await res.text() };
  };
  const title = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1];

  before(async () => {
    db = await open();
    await addRecords(db, records);
    app = createApp({ db, config, now, cacheTtlMs: 0 });
  });
  after(() => db.close());

  test('/day, /week and /month without a date go to the newest one; the date picker still goes to its day', async () => {
    for (const [from, to] of [
      ['/day', '/day/2026-11-24'],
      ['/week', '/week/2026-W48'],
      ['/month', '/month/2026-11'],
      ['/api/week', '/api/week/2026-W48'],
      ['/api/month', '/api/month/2026-11'],
      ['/day?date=2026-11-20', '/day/2026-11-20'],
      ['/week?date=', '/week/2026-W48'],
    ]) {
      const { res } = await get(from);
      assert.equal(res.status, 302, from);
      assert.equal(res.headers.get('location'), to, from);
    }
    // The JSON newest day answers in place, as before.
    const api = await app.request('/api/day');
    assert.equal(api.status, 200);
    assert.equal((await api.json()).period.key, '2026-11-24');
  });

  test('on an empty store, /day goes home (which says how to import) and the JSON twins say there is no day yet', async () => {
    const empty = await open();
    try {
      const bare = createApp({ db: empty, config, now, cacheTtlMs: 0 });
      for (const kind of ['day', 'week', 'month']) {
        const { res } = await get(`/${kind}`, bare);
        assert.equal(res.status, 302, kind);
        assert.equal(res.headers.get('location'), '/');
      }
      assert.equal((await get('/api/week', bare)).res.status, 404);
    } finally {
      await empty.close();
    }
  });

  test('a day after the newest listing does not call that older day "the day before"', async () => {
    const { res, body } = await get('/day/2026-11-26');
    assert.equal(res.status, 200);
    assert.doesNotMatch(body, /day before/i);
    assert.match(body, /The latest day with papers: <a href="\/day\/2026-11-24">Tuesday, November 24, 2026<\/a>/);
    assert.equal([...body.matchAll(/href="\/day\/2026-11-24"/g)].length, 2, 'the nav arrow and the one "latest day" link');
    // A day between two listings names both neighbours for what they are.
    const gap = await get('/day/2026-11-23');
    assert.match(gap.body, /The previous day with papers: <a href="\/day\/2026-11-20">/);
    assert.match(gap.body, /The next day with papers: <a href="\/day\/2026-11-24">/);
  });

  test('page titles carry the date and the page number; the canonical link is absolute', async () => {
    assert.equal(title((await get('/')).body), 'Daily Papers: Tuesday, November 24, 2026 · Paperboy');
    assert.equal(title((await get('/day/2026-11-20')).body), 'Daily Papers: Friday, November 20, 2026 · Paperboy');
    const second = await get('/day/2026-11-20?page=2');
    assert.equal(title(second.body), 'Daily Papers: Friday, November 20, 2026, page 2 · Paperboy');
    assert.match(second.body, /<link rel="canonical" href="https:\/\/papers\.example\.org\/day\/2026-11-20\?page=2"\/>/);
    assert.equal(title((await get('/week/2026-W47')).body), 'Daily Papers: Week 47 of 2026 (Nov 16 – Nov 22) · Paperboy');
    assert.equal(title((await get('/month/2026-11?page=2')).body), 'Daily Papers: November 2026, page 2 · Paperboy');
  });
});
