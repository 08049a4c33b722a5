import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { describeEachDatabase } from '../../test/databases.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { createApp } from '../http/app.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { addRecords } from '../papers/papers.service.ts';
import { DAILY_FEED_PAGE } from './feeds.service.ts';

const BASE = 'https://papers.example.org';
const config = { ...loadConfig({}), logLevel: 'silent' as const, publicBaseUrl: BASE };
const FULL_DAY = '2026-07-01';
const HUGE_DAY = '2026-07-02';

const day = (date: string, n: number, prefix: string): PaperRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    source: 'jsonl',
    arxivId: `${prefix}.${String(i + 1).padStart(5, '0')}`,
    title: `Paper ${i + 1} of ${date}`,
    abstract: `Abstract ${i + 1}.`,
    authors: ['Ada Lovelace'],
    announcedOn: date,
    // Distinct upvotes, so "hottest first" is one order on both databases.
    upvotes: n - i,
  }));

describeEachDatabase('the daily feed', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const parser = new Parser();
  const fetchFeed = async (url: string) => {
    const res = await app.request(url);
    const body = await res.text();
    assert.equal(res.status, 200, `${url}: ${body.slice(0, 200)}`);
    assert.equal(XMLValidator.validate(body), true, `${url} is well-formed XML`);
    return { body, feed: await parser.parseString(body) };
  };
  /** The href of each `rel` link of a document, RSS (atom:link) or Atom (link). */
  const links = (body: string) =>
    Object.fromEntries([...body.matchAll(/<(?:atom:)?link (?:href="([^"]+)" rel="(\w+)"|rel="(\w+)" [^>]*href="([^"]+)")/g)].map((m) => [m[2] ?? m[3], (m[1] ?? m[4]).replaceAll('&amp;', '&')]));

  before(async () => {
    db = await open();
    await addRecords(db, [...day(FULL_DAY, 300, '2607'), ...day(HUGE_DAY, DAILY_FEED_PAGE + 1, '2608')]);
    app = createApp({ db, config, cacheTtlMs: 0 });
  });
  after(() => db.close());

  test('a 300-paper day is one document with all 300, hottest first, in RSS and Atom', async () => {
    const rss = await fetchFeed(`/feeds/daily.xml?date=${FULL_DAY}`);
    assert.equal(rss.feed.items.length, 300);
    assert.equal(rss.feed.items[0].title, `Paper 1 of ${FULL_DAY}`);
    assert.equal(rss.feed.items[299].title, `Paper 300 of ${FULL_DAY}`);
    assert.equal(links(rss.body).next, undefined);
    const atom = await fetchFeed(`/feeds/daily.xml?date=${FULL_DAY}&format=atom`);
    assert.equal(atom.feed.items.length, 300);
    assert.equal(links(atom.body).next, undefined);
  });

  test('a day larger than one document pages like RFC 5005: next, previous, first and last links, the day named in each', async () => {
    const first = await fetchFeed('/feeds/daily.xml');
    assert.equal(first.feed.items.length, DAILY_FEED_PAGE);
    assert.equal(first.feed.items[0].title, `Paper 1 of ${HUGE_DAY}`);
    assert.deepEqual(links(first.body), {
      self: `${BASE}/feeds/daily.xml`,
      next: `${BASE}/feeds/daily.xml?date=${HUGE_DAY}&page=2`,
      first: `${BASE}/feeds/daily.xml?date=${HUGE_DAY}`,
      last: `${BASE}/feeds/daily.xml?date=${HUGE_DAY}&page=2`,
    });
    const second = await fetchFeed(`/feeds/daily.xml?date=${HUGE_DAY}&page=2&format=atom`);
    assert.deepEqual(second.feed.items.map((i) => i.title), [`Paper ${DAILY_FEED_PAGE + 1} of ${HUGE_DAY}`]);
    const atomLinks = links(second.body);
    assert.equal(atomLinks.previous, `${BASE}/feeds/daily.xml?date=${HUGE_DAY}&format=atom`);
    assert.equal(atomLinks.first, atomLinks.previous);
    assert.equal(atomLinks.next, undefined);
    assert.equal((await app.request(`/feeds/daily.xml?date=${HUGE_DAY}&page=3`)).status, 404);
    assert.equal((await app.request(`/feeds/daily.xml?date=${HUGE_DAY}&page=0`)).status, 400);
    assert.equal((await app.request(`/feeds/daily.xml?date=${HUGE_DAY}&page=two`)).status, 400);
  });
});
