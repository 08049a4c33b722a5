import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { describeEachDatabase } from '../../../test/databases.ts';
import { addFixturePapers, DAY1, DAY2, mailTestConfig } from '../../../test/mail-fixtures.ts';
import type { Db } from '../../db/database.ts';
import { addRecords } from '../../papers/papers.service.ts';
import { createApp } from '../app.ts';

const BASE = 'https://papers.example.org';
const ODD_TITLE = 'Odd \u0001title\u0007 with <b>tags</b> & “quotes” \uFFFF';

describeEachDatabase('feeds', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const parser = new Parser();
  const fetchFeed = async (url: string) => {
    const res = await app.request(url);
    const body = await res.text();
    return { res, body };
  };
  const parse = async (url: string) => {
    const { res, body } = await fetchFeed(url);
    assert.equal(res.status, 200, `${url}: ${body.slice(0, 200)}`);
    assert.equal(XMLValidator.validate(body), true, `${url} is well-formed XML`);
    return { feed: await parser.parseString(body), body, res };
  };

  before(async () => {
    db = await open();
    await addFixturePapers(db);
    await addRecords(db, [{ source: 'jsonl', title: ODD_TITLE, abstract: 'Vertical\u000btab & <script>alert(1)</script>', announcedOn: DAY2, authors: ['Ada Lovelace'] }]);
    await db.kysely.updateTable('papers').set((eb) => ({ hotness: eb.ref('upvotes') })).execute();
    app = createApp({ db, config: mailTestConfig(), cacheTtlMs: 0 });
  });
  after(() => db.close());

  test('the daily feed lists the newest day, hottest first, in RSS 2.0 and Atom with the same ids', async () => {
    const rss = await parse('/feeds/daily.xml');
    assert.match(rss.res.headers.get('Content-Type')!, /application\/rss\+xml/);
    assert.equal(rss.feed.items.length, 13);
    assert.equal(rss.feed.items[0].title, 'Paper 101 on graph learning');
    assert.equal(rss.feed.items[0].link, `${BASE}/papers/2607.00101`);
    assert.equal(rss.feed.items[0].guid, `${BASE}/papers/2607.00101`);
    assert.equal(rss.feed.items[0].isoDate, `${DAY2}T00:00:00.000Z`);
    const atom = await parse('/feeds/daily.xml?format=atom');
    assert.match(atom.res.headers.get('Content-Type')!, /application\/atom\+xml/);
    assert.deepEqual(atom.feed.items.map((i) => i.id), rss.feed.items.map((i) => i.guid));
    assert.deepEqual(atom.feed.items.map((i) => i.isoDate), rss.feed.items.map((i) => i.isoDate));
    const older = await parse(`/feeds/daily.xml?date=${DAY1}`);
    assert.ok(older.feed.items.every((i) => /^Paper \d$|^Paper \d\d? |Diffusion models for protein design 3|Sparse attention/.test(i.title!)));
  });

  test('feeds are the same on every run (stable ids and dates, no clock), with an ETag', async () => {
    const first = await fetchFeed('/feeds/trending.xml?format=atom');
    const again = await createApp({ db, config: mailTestConfig(), cacheTtlMs: 0 }).request('/feeds/trending.xml?format=atom');
    assert.equal(await again.text(), first.body);
    const etag = first.res.headers.get('ETag')!;
    assert.equal((await app.request('/feeds/trending.xml?format=atom', { headers: { 'If-None-Match': etag } })).status, 304);
    assert.match(first.body, /<updated>2026-07-03T00:00:00Z<\/updated>/);
  });

  test('odd titles survive: markup is escaped, control characters are dropped', async () => {
    for (const format of ['rss', 'atom']) {
      const { feed, body } = await parse(`/feeds/daily.xml?format=${format}`);
      assert.doesNotMatch(body, /<script>|<b>|[\u0001\u0007\u000b\uFFFF]/);
      const titles = feed.items.map((i) => i.title);
      assert.ok(titles.includes('Odd title with <b>tags</b> & “quotes” '), JSON.stringify(titles));
      assert.ok(titles.includes('Sparse attention <script>alert(1)</script> & friends 105'));
    }
  });

  test('search, filter, author and organization feeds', async () => {
    const search = await parse('/feeds/search.xml?q=diffusion+protein');
    assert.deepEqual(search.feed.items.map((i) => i.title), ['Diffusion models for protein design 103', 'Diffusion models for protein design 3']);
    assert.match(search.feed.title!, /“diffusion protein”/);
    const filtered = await parse('/feeds/search.xml?q=diffusion&cat=cs.CL&format=atom');
    assert.equal(filtered.feed.items.length, 2);
    const category = await parse('/feeds/search.xml?cat=cs.LG');
    assert.equal(category.feed.items.length, 12);
    const author = await db.kysely.selectFrom('authors').select('id').where('name', '=', 'Ada Lovelace').executeTakeFirstOrThrow();
    const byAuthor = await parse(`/feeds/authors/${author.id}.xml`);
    assert.equal(byAuthor.feed.items.length, 3);
    assert.match(byAuthor.feed.title!, /Ada Lovelace/);
    const byOrg = await parse('/feeds/organizations/example-lab.xml?format=atom');
    assert.deepEqual(byOrg.feed.items.map((i) => i.title), ['Paper 109 on graph learning', 'Paper 9 on graph learning']);
  });

  test('unknown subjects are 404, bad parameters 400', async () => {
    assert.equal((await app.request('/feeds/authors/999999.xml')).status, 404);
    assert.equal((await app.request('/feeds/organizations/nobody.xml')).status, 404);
    assert.equal((await app.request('/feeds/authors/abc.xml')).status, 404);
    assert.equal((await app.request('/feeds/daily.xml?format=json')).status, 400);
    assert.equal((await app.request('/feeds/daily.xml?date=2026-02-30')).status, 400);
    assert.equal((await app.request('/feeds/search.xml?cat=%3Cscript%3E')).status, 400);
  });

  test('pages announce their feeds for autodiscovery', async () => {
    const author = await db.kysely.selectFrom('authors').select('id').where('name', '=', 'Ada Lovelace').executeTakeFirstOrThrow();
    for (const [page, feed] of [
      ['/', '/feeds/daily.xml'],
      ['/trending', '/feeds/trending.xml'],
      ['/search?q=diffusion', '/feeds/search.xml?q=diffusion'],
      [`/authors/${author.id}`, `/feeds/authors/${author.id}.xml`],
      ['/orgs/example-lab', '/feeds/organizations/example-lab.xml'],
    ]) {
      const body = await (await app.request(page)).text();
      assert.ok(body.includes(`<link rel="alternate" type="application/rss+xml"`), page);
      assert.ok(body.includes(`href="${feed.replaceAll('&', '&amp;')}"`), `${page} links ${feed}`);
    }
  });
});
