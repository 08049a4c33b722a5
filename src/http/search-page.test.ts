/** The search page's controls through HTTP, on both databases: mode, order, dates, several categories, operators, counts, pages. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { addRecords } from '../papers/papers.service.ts';
import { createApp } from './app.ts';

const config = { ...loadConfig({}), logLevel: 'silent' as const, publicBaseUrl: 'https://papers.example.org' };

const paper = (title: string, announcedOn: string, categories: string[], upvotes: number, extra: Partial<PaperRecord> = {}): PaperRecord => ({
  source: 'hf-daily',
  title,
  abstract: `About ${title.toLowerCase()}.`,
  authors: ['Ada Lovelace'],
  categories,
  announcedOn,
  upvotes,
  ...extra,
});

const records: PaperRecord[] = [
  paper('Diffusion for images', '2026-11-20', ['cs.CV'], 5),
  paper('Diffusion for robots', '2026-11-18', ['cs.RO'], 50),
  paper('Diffusion for language', '2026-11-23', ['cs.CL'], 1),
  paper('Diffusion in old times', '2025-01-10', ['cs.CV'], 0, { abstract: 'On noise schedules, long ago.' }),
  // 35 papers on sampling: two pages of 30.
  ...Array.from({ length: 35 }, (_, i) => paper(`Sampling study ${i + 1}`, '2026-11-02', ['cs.LG'], 0)),
];

describeEachDatabase('search page controls', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  before(async () => {
    db = await open();
    await addRecords(db, records);
    app = createApp({ db, config, now: () => new Date('2026-11-23T12:00:00Z') });
  });
  after(() => db.close());

  const get = async (url: string) => {
    const res = await app.request(url);
    return { res, body: await res.text() };
  };
  // Titles are highlighted, so read the text of each result's link.
  const titles = (body: string) => [...body.matchAll(/<h2><a href="\/papers\/[^"]+">(.*?)<\/a>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''));

  test('the form offers mode, order, dates and several categories, and keeps what was chosen', async () => {
    const { res, body } = await get('/search?q=diffusion&mode=keyword&sort=newest&from=2026-11-01&to=2026-11-30&cat=cs.CV&cat=cs.RO');
    assert.equal(res.status, 200);
    assert.match(body, /<select id="s-mode" name="mode">/);
    assert.match(body, /<option value="keyword" selected="">/);
    assert.match(body, /<select id="s-sort" name="sort">/);
    assert.match(body, /<option value="newest" selected="">/);
    assert.match(body, /<input type="date" id="from" name="from" value="2026-11-01"/);
    assert.match(body, /<input type="date" id="to" name="to" value="2026-11-30"/);
    assert.match(body, /<input type="checkbox" name="cat" value="cs.CV" checked=""/);
    assert.match(body, /<input type="checkbox" name="cat" value="cs.RO" checked=""/);
    assert.match(body, /<input type="checkbox" name="cat" value="cs.CL"\s*\/?>/);
    // Newest first, both categories, only November.
    assert.deepEqual(titles(body), ['Diffusion for images', 'Diffusion for robots']);
  });

  test('sort by upvotes, newest or relevance; an order lists do not have is a 400', async () => {
    assert.deepEqual(titles((await get('/search?q=diffusion&sort=upvotes')).body), ['Diffusion for robots', 'Diffusion for images', 'Diffusion for language', 'Diffusion in old times']);
    assert.deepEqual(titles((await get('/search?q=diffusion&sort=newest')).body), ['Diffusion for language', 'Diffusion for images', 'Diffusion for robots', 'Diffusion in old times']);
    assert.equal(titles((await get('/search?q=diffusion&sort=relevance')).body).length, 4);
    assert.equal(titles((await get('/search?q=diffusion&sort=')).body).length, 4);
    for (const bad of ['trending', 'random']) {
      const { res, body } = await get(`/search?q=diffusion&sort=${bad}`);
      assert.equal(res.status, 400, bad);
      assert.match(body, /relevance, newest or upvotes/);
    }
  });

  test('the chosen mode and order travel with the pages and the filter chips', async () => {
    const { body } = await get('/search?q=sampling&mode=keyword&sort=newest&cat=cs.LG');
    assert.match(body, /href="\/search\?q=sampling&amp;mode=keyword&amp;sort=newest&amp;cat=cs.LG&amp;page=2" rel="next"/);
    assert.match(body, /href="\/search\?q=sampling&amp;mode=keyword&amp;sort=newest" aria-label="Remove filter Category: cs.LG"/);
  });

  test('asking for meaning without vectors says the results are keyword matches', async () => {
    assert.match((await get('/search?q=diffusion&mode=semantic')).body, /class="notice"[^>]*>[^<]*no vectors/);
    assert.doesNotMatch((await get('/search?q=diffusion')).body, /no vectors/);
  });

  test('title: and abstract: are explained; an unknown operator gives a visible note, also when nothing matches', async () => {
    const help = (await get('/search')).body;
    assert.match(help, /<code>title:diffusion/);
    assert.match(help, /abstract:&quot;image synthesis&quot;|abstract:"image synthesis"/);
    assert.equal(titles((await get('/search?q=title:sampling')).body).length, 30);
    assert.deepEqual(titles((await get('/search?q=abstract:schedules')).body), ['Diffusion in old times']);
    assert.match((await get('/search?q=title:schedules')).body, /No papers match “title:schedules”/);
    const { body } = await get('/search?q=venue:neurips');
    assert.match(body, /<p class="notice" role="status">venue: is not an operator/);
    assert.match(body, /No papers match “venue:neurips”/);
  });

  test('counts say how many, in the singular for one', async () => {
    assert.match((await get('/search?q=sampling')).body, />35 papers match “sampling”/);
    assert.match((await get('/search?q=robots')).body, />1 paper matches “robots”/);
  });

  test('the pager links the last page; past it, a page that says so and links back to the last one', async () => {
    const { body } = await get('/search?q=sampling');
    assert.match(body, /<a href="\/search\?q=sampling&amp;page=2" aria-label="Page 2, the last">2<\/a>/);
    const past = await get('/search?q=sampling&page=7');
    assert.equal(past.res.status, 404);
    assert.match(past.body, /Past the last page/);
    assert.match(past.body, /Page 7 is past the end: there are only 2 pages\./);
    assert.match(past.body, /<a href="\/search\?q=sampling&amp;page=2">Go to the last page \(2\)<\/a>/);
    assert.doesNotMatch(past.body, /may not have been imported/);
    const none = await get('/search?q=zzqxv&page=2');
    assert.equal(none.res.status, 404);
    assert.match(none.body, /<a href="\/search\?q=zzqxv">Go to the last page \(1\)<\/a>/);
  });

  test('literal=1 travels with the page links', async () => {
    assert.match((await get('/search?q=sampling&literal=1')).body, /href="\/search\?q=sampling&amp;literal=1&amp;page=2" rel="next"/);
  });
});
