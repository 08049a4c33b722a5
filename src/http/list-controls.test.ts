/** The lists' filter choices, chips and pages through HTTP, on both databases. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { addRecords } from '../papers/papers.service.ts';
import { createApp } from './app.ts';

const config = { ...loadConfig({}), logLevel: 'silent' as const, publicBaseUrl: 'https://papers.example.org' };

// The newest day has 31 papers without an organization; Old Lab's only paper is ten months older.
const records: PaperRecord[] = [
  ...Array.from({ length: 31 }, (_, i): PaperRecord => ({ source: 'jsonl', title: `Recent paper ${i + 1}`, categories: ['cs.LG'], announcedOn: '2026-11-23' })),
  { source: 'hf-daily', title: 'An old lab paper', categories: ['cs.CV'], announcedOn: '2026-01-05', upvotes: 3, organization: { name: 'Old Lab', slug: 'old-lab' }, authors: ['Ada Lovelace'] },
];

describeEachDatabase('list controls', (open) => {
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

  test("trending's organization choices are the organizations of its list, not only of recent days", async () => {
    const { body } = await get('/trending');
    assert.match(body, /<option value="old-lab">Old Lab \(1\)<\/option>/);
    assert.match(body, /<option value="cs.CV">cs.CV \(1\)<\/option>/);
    const json = (await (await app.request('/api/trending')).json()) as { facets: { organizations: { value: string }[] } };
    assert.deepEqual(json.facets.organizations.map((o) => o.value), ['old-lab']);
  });

  test("a filter chip shows the organization's name, by slug or by name, even where it is no choice of the list", async () => {
    for (const url of ['/trending?org=old-lab', '/day/2026-11-23?org=old-lab', '/day/2026-11-23?notorg=OLD%20LAB']) {
      const { body } = await get(url);
      assert.match(body, /aria-label="Remove filter (Not )?[Oo]rganization: Old Lab"/, url);
      assert.match(body, />(Not o|O)rganization: Old Lab <span/, url);
    }
  });

  test('one paper is "1 paper"', async () => {
    assert.match((await get('/trending?org=old-lab')).body, /<p class="stats">1 paper<\/p>/);
    assert.match((await get('/trending')).body, /<p class="stats">32 papers<\/p>/);
  });

  test('the pager links the last page', async () => {
    assert.match((await get('/trending')).body, /<a href="\/trending\?page=2" aria-label="Page 2, the last">2<\/a>/);
  });

  test('past the last page of a list, a page that says so and links the last page, as HTML and as JSON', async () => {
    const author = await db.kysely.selectFrom('authors').select('id').where('name', '=', 'Ada Lovelace').executeTakeFirstOrThrow();
    for (const [url, last, pages] of [
      ['/trending?page=3', '/trending?page=2', 'are only 2 pages'],
      ['/trending?org=old-lab&page=2', '/trending?org=old-lab', 'is only 1 page'],
      ['/day/2026-11-23?sort=newest&page=5', '/day/2026-11-23?sort=newest&amp;page=2', 'are only 2 pages'],
      [`/authors/${author.id}?page=2`, `/authors/${author.id}`, 'is only 1 page'],
      ['/orgs/old-lab?page=9', '/orgs/old-lab', 'is only 1 page'],
    ]) {
      const { res, body } = await get(url);
      assert.equal(res.status, 404, url);
      assert.match(body, /<h1 id="error-title">Past the last page<\/h1>/, url);
      assert.ok(body.includes(`past the end: there ${pages}.`), `${url}: ${body.match(/<p>Page.*?<\/p>/)?.[0]}`);
      assert.ok(body.includes(`<a href="${last}">Go to the last page`), url);
    }
    const res = await app.request('/api/trending?page=3');
    assert.equal(res.status, 404);
    const json = (await res.json()) as { error: { title: string; message: string; link: string } };
    assert.equal(json.error.title, 'Past the last page');
    assert.equal(json.error.link, '/api/trending?page=2');
  });
});
