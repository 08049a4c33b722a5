import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { describeEachDatabase } from '../../test/databases.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { createApp } from '../http/app.ts';
import { latestListingDay } from '../listings/listings.service.ts';
import { normalizeTitle } from '../papers/normalize.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { loadDemoIfEmpty } from './load-demo.ts';

const FILE = new URL('./demo-corpus.jsonl.gz', import.meta.url);
/** Every field a PaperRecord may have; the bundled file must hold nothing else. */
const RECORD_FIELDS = new Set([
  'source', 'arxivId', 'version', 'doi', 'title', 'abstract', 'authors', 'authorCount', 'categories', 'primaryCategory',
  'publishedAt', 'updatedAt', 'announcedOn', 'comment', 'journalRef', 'organization', 'upvotes', 'links',
]);
/** The recent slice of the arXiv corpus: its last 12 listing days. */
const SLICE_DAYS = ['2026-06-15', '2026-06-16', '2026-06-17', '2026-06-18', '2026-06-19', '2026-06-23', '2026-06-24', '2026-06-25', '2026-06-26', '2026-06-29', '2026-06-30', '2026-07-01'];

test('the bundled demo corpus: seed papers, their arXiv corpus records, the recent slice; PaperRecord fields only', () => {
  const bytes = fs.readFileSync(FILE);
  // Bytes 4-7 of a gzip header are the mtime; zero keeps rebuilds byte-identical.
  assert.equal(bytes.readUInt32LE(4), 0);
  assert.ok(bytes.length < 3_000_000, `${bytes.length} bytes: a few MB at most`);
  const records = gunzipSync(bytes).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as PaperRecord);
  const bySource = (s: string) => records.filter((r) => r.source === s);
  const seeds = bySource('hf-page');
  assert.equal(seeds.length, 741);
  assert.equal(bySource('arxiv-jsonl').length, 26 + 3_467);
  assert.equal(records.length, 4_234);
  assert.equal(new Set(seeds.map((r) => normalizeTitle(r.title))).size, 615);
  // What the seed pages give and nothing more: a date, an author count or upvotes only where a card shows one.
  assert.equal(seeds.filter((r) => r.announcedOn).length, 62);
  assert.equal(seeds.filter((r) => r.authorCount).length, 61);
  assert.equal(seeds.filter((r) => r.upvotes).length, 2);
  assert.ok(seeds.every((r) => !r.publishedAt && !r.authors));
  for (const r of records) {
    assert.ok(r.title.trim(), 'every record has a title');
    for (const key of Object.keys(r)) assert.ok(RECORD_FIELDS.has(key), `unexpected field ${key} in ${r.title}`);
  }
  // Each arXiv record of a seed sits right after the first seed record with the same title, so the two merge.
  const hess = records.findIndex((r) => r.source === 'arxiv-jsonl' && r.arxivId === '2603.25336');
  assert.equal(normalizeTitle(records[hess - 1].title), normalizeTitle(records[hess].title));
  // The page shows "Mar 26" without a year; arXiv listed it on 2026-03-27, which confirms year 2026.
  assert.equal(records[hess - 1].announcedOn, '2026-03-26');
  assert.equal(records[hess].announcedOn, '2026-03-27');
  // The slice: real arXiv records with authors, categories and their listing day, each paper once.
  const slice = records.slice(741 + 26);
  assert.ok(slice.every((r) => r.source === 'arxiv-jsonl' && r.arxivId && r.authors?.length && r.categories?.length && r.announcedOn! >= SLICE_DAYS[0]));
  assert.equal(new Set(bySource('arxiv-jsonl').map((r) => r.arxivId)).size, 26 + 3_467);
});

describeEachDatabase('the demo corpus, loaded', (open) => {
  let db: Db;
  let seconds: number;
  before(async () => {
    db = await open();
    const report = await loadDemoIfEmpty(db);
    seconds = report!.seconds;
  });
  after(() => db.close());

  test('the newest days show full lists, search finds papers, and no paper gets an invented date', async () => {
    // A first start loads it in a few seconds (1.4 s SQLite, 3.0 s PostgreSQL measured on 2 busy cores).
    assert.ok(seconds < 30, `loading took ${seconds} s`);
    const k = db.kysely;
    const { papers } = await k.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('papers')).executeTakeFirstOrThrow();
    assert.equal(Number(papers), 4_082);
    assert.equal(await latestListingDay(db), '2026-07-01');
    const days = await k.selectFrom('papers').select(['announced_on', (eb) => eb.fn.countAll<number>().as('n')]).where('announced_on', '>=', SLICE_DAYS[0]).groupBy('announced_on').orderBy('announced_on').execute();
    assert.deepEqual(days.map((d) => d.announced_on), SLICE_DAYS);
    assert.equal(Number(days.at(-1)!.n), 300);
    // The seed papers the pages gave no date stay undated (the search-layout pages show none).
    const undated = await k.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).where('announced_on', 'is', null).where('published_at', 'is', null).executeTakeFirstOrThrow();
    assert.equal(Number(undated.n), 533);
    const app = createApp({ db, config: { ...loadConfig({}), logLevel: 'silent' }, cacheTtlMs: 0 });
    const found = await (await app.request('/api/search?q=diffusion&mode=keyword&limit=50')).json();
    assert.ok(found.results.length >= 20, `${found.results.length} results for "diffusion"`);
  });
});
