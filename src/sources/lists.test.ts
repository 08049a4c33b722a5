/**
 * The sources that are lists: the Hugging Face daily papers (the real captured answer, replayed; an empty
 * weekday is a warning; the last day is read again for its votes) and RSS/Atom feeds (a journal entry joins
 * the arXiv paper it publishes by DOI; an unchanged feed answers 304; a page that is no feed fails the run
 * and imports nothing).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { startTestServer, type ScriptedReply, type TestServer } from '../fetch/test-server.ts';
import { addSource } from './sources.service.ts';
import * as repo from './sources.repo.ts';
import { Clock, quickClients, replayConfig, tick } from './testing.ts';

const HF_DAY = readFileSync('test/fixtures/hf_daily_papers/2024-10-25_daily_papers_3items.json', 'utf8');
const ATOM = readFileSync('test/fixtures/arxiv_api_atom/2025-11_search_cat-math.CA_AND_ti-diffuse.xml', 'utf8');
// A journal's RSS 1.0 table of contents (the shape Nature and most publishers serve), listing the published
// version of arXiv 2206.06921 — known by its DOI only — and an article with neither arXiv id nor DOI.
const JOURNAL_RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">
<channel rdf:about="https://www.iumj.indiana.edu/rss"><title>Indiana University Mathematics Journal</title></channel>
<item rdf:about="https://www.iumj.indiana.edu/IUMJ/9928">
  <title>Attainable forms of Assouad spectra</title>
  <link>https://www.iumj.indiana.edu/IUMJ/9928</link>
  <description>&lt;p&gt;We characterise the Assouad spectra of sets.&lt;/p&gt;</description>
  <dc:creator>Alex Rutar</dc:creator>
  <dc:date>2024-08-01</dc:date>
  <prism:doi>10.1512/iumj.2024.73.9928</prism:doi>
</item>
<item rdf:about="https://www.iumj.indiana.edu/IUMJ/9931">
  <title>Sharp estimates for a class of oscillatory integrals</title>
  <link>https://www.iumj.indiana.edu/IUMJ/9931</link>
  <dc:creator>A. Author</dc:creator><dc:creator>B. Author</dc:creator>
  <dc:date>2024-08-01</dc:date>
</item>
</rdf:RDF>`;
const ARXIV_ENTRY = readFileSync('test/fixtures/arxiv_api_atom/2025-11_idlist_2206.06921.xml', 'utf8');

describeEachDatabase('sources that are lists', (open) => {
  let db: Db;
  let server: TestServer;
  let answer: (url: URL, headers: IncomingHttpHeaders) => ScriptedReply = () => ({ status: 404 });
  before(async () => {
    db = await open();
    server = await startTestServer((url, _i, headers) => answer(url, headers));
  });
  after(async () => {
    await server?.close();
    await db?.close();
  });
  const config = () => replayConfig({ baseUrl: server.baseUrl, oaiUrl: `${server.baseUrl}/oai2`, apiUrl: `${server.baseUrl}/api/query` });

  test('Hugging Face daily papers: the captured day imported with its votes, an empty weekday a warning, votes refreshed', async () => {
    let upvotes = 0;
    answer = (url) => {
      if (url.pathname !== '/api/daily_papers') return { status: 404 };
      const items = url.searchParams.get('date') === '2024-10-25' ? JSON.parse(HF_DAY) : [];
      for (const item of items) item.paper.upvotes += upvotes;
      return { status: 200, body: JSON.stringify(items), headers: { 'Content-Type': 'application/json' } };
    };
    const cfg = config();
    const clients = quickClients(cfg);
    const clock = new Clock(new Date('2024-10-25T18:00:00Z'));
    const { id } = await addSource(db, { kind: 'hf-daily', backfillFrom: '2024-10-24' }, 'env', clock.at);
    const [first] = await tick(db, cfg, clients, clock);
    assert.deepEqual([first.status, first.added], ['warning', 3]);
    assert.equal(first.message, 'the daily list of 2024-10-24 is empty');
    assert.deepEqual(server.requests.map((r) => r.url.searchParams.get('date')), ['2024-10-24', '2024-10-25']);
    assert.deepEqual(await tick(db, cfg, clients, clock.advance(30)), [], 'due every 2 hours');
    upvotes = 10;
    const [second] = await tick(db, cfg, clients, clock.advance(95));
    assert.deepEqual([second.status, second.updated], ['warning', 3]);
    const top = await db.kysely.selectFrom('papers').select(['arxiv_id', 'upvotes']).orderBy('upvotes', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual(top, { arxiv_id: '2410.17243', upvotes: 74 });
    await repo.deleteSource(db.kysely, id);
  });

  test('a journal feed joins the arXiv paper by DOI, answers 304 when unchanged, and garbage imports nothing', async () => {
    let etag = '"toc-1"';
    let body = JOURNAL_RSS;
    answer = (url, headers) => {
      if (url.pathname === '/api/query') return { status: 200, body: ARXIV_ENTRY };
      if (headers['if-none-match'] === etag) return { status: 304 };
      return { status: 200, body, headers: { ETag: etag, 'Content-Type': 'application/rss+xml' } };
    };
    const cfg = config();
    const clients = quickClients(cfg);
    const clock = new Clock(new Date('2024-08-02T09:00:00Z'));
    // The arXiv paper first, through an Atom feed of the API (the real answer): read by the arXiv parser.
    const arxiv = await addSource(db, { kind: 'feed', target: `${server.baseUrl}/api/query?id_list=2206.06921` }, 'admin', clock.at);
    const [fromAtom] = await tick(db, cfg, clients, clock);
    assert.deepEqual([fromAtom.status, fromAtom.added], ['success', 1]);
    await repo.deleteSource(db.kysely, arxiv.id);

    const { id } = await addSource(db, { kind: 'feed', target: `${server.baseUrl}/toc.rss`, schedule: 'every 30m' }, 'admin', clock.at);
    const [first] = await tick(db, cfg, clients, clock);
    // One new article; the other is the arXiv paper, which it joins (adding nothing newer than arXiv's text).
    assert.deepEqual([first.status, first.added, first.unchanged], ['success', 1, 1]);
    const joined = await db.kysely.selectFrom('papers').select(['arxiv_id', 'doi', 'sources']).where('doi', '=', '10.1512/iumj.2024.73.9928').execute();
    assert.equal(joined.length, 1);
    assert.equal(joined[0].arxiv_id, '2206.06921');
    assert.deepEqual(Object.keys(JSON.parse(joined[0].sources)).sort(), ['arxiv-atom', 'feed']);

    const [unchanged] = await tick(db, cfg, clients, clock.advance(31));
    assert.deepEqual([unchanged.status, unchanged.message], ['success', 'not modified since the last run']);
    assert.equal(server.requests.at(-1)!.headers['if-none-match'], '"toc-1"');

    etag = '"toc-2"';
    body = '<!doctype html><html><body><h1>Service temporarily unavailable</h1></body></html>';
    const before = await db.kysely.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const [garbage] = await tick(db, cfg, clients, clock.advance(31));
    assert.equal(garbage.status, 'failed');
    assert.match(garbage.message ?? '', /toc\.rss/);
    const afterwards = await db.kysely.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(afterwards.n), Number(before.n));
    assert.equal((await repo.getSource(db.kysely, id))!.failures, 1);
  });
});

test('feeds other than arXiv\'s keep only arXiv categories', async () => {
  const { parseFeed } = await import('../importers/feed.ts');
  const rss = `<rss version="2.0"><channel><item><title>On chemistry</title><link>https://example.org/a</link><category>chemistry</category><category>cs.LG</category><category>hep-th</category><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate></item></channel></rss>`;
  const [event] = parseFeed(rss, 'https://example.org/rss');
  assert.equal(event.kind, 'record');
  if (event.kind !== 'record') return;
  assert.deepEqual(event.record.categories, ['cs.LG', 'hep-th']);
  assert.equal(event.record.announcedOn, '2026-12-01');
  assert.equal(event.location, 'https://example.org/rss:item 1 (line 1)');
});
