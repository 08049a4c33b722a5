/**
 * A bulk import into a nearly empty store drops the indexes only reads use and builds them once at its end
 * (src/db/read-indexes.ts). The store it leaves must be the one an import with every index in place leaves,
 * and a store whose import was killed before the end must get every index back when it is next opened.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../test/databases.ts';
import { migrate, type Db } from '../db/database.ts';
import { latestListingDay, periodListing, searchListing, trendingListing } from '../listings/listings.service.ts';
import type { Paper } from '../papers/paper.ts';
import { importFile } from './import.service.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures');
const JSONL = path.join(FIXTURES, 'jsonl/arxiv_cs_daily_sample.jsonl.gz');
const HF_DAILY = path.join(FIXTURES, 'hf_daily_papers/2024-10-25_daily_papers_3items.json');

/** The indexes a migration made, as the store describes them: a name with its table and definition. */
const READ_ONLY_INDEXES = [
  'papers_announced',
  'papers_hotness_id',
  'papers_votes',
  'papers_organization',
  'papers_text_revision',
  'paper_authors_author',
  'paper_categories_category',
  'paper_categories_key',
  'paper_categories_archive',
  'authors_last_word',
];

/** Every index of the store: name → table and definition, spelled the same way whoever created it. */
async function indexes(db: Db): Promise<Map<string, string>> {
  const rows =
    db.dialect === 'sqlite'
      ? (await sql<{ name: string; tbl: string; def: string | null }>`SELECT name, tbl_name AS tbl, sql AS def FROM sqlite_master WHERE type = 'index'`.execute(db.kysely)).rows
      : (await sql<{ name: string; tbl: string; def: string }>`SELECT indexname AS name, tablename AS tbl, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema()`.execute(db.kysely)).rows;
  // SQLite keeps the statement's text: quoting, case and spacing differ between Kysely's and hand-written SQL.
  const spelled = (def: string | null) => (def ?? '(implicit)').replace(/"/g, '').replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').toLowerCase();
  return new Map(rows.map((r) => [r.name, `${r.tbl}: ${spelled(r.def)}`]));
}

const sorted = (m: Map<string, string>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
/** What a page shows of a paper (provenance carries the time of the import). */
const shown = (papers: Paper[]) => papers.map(({ provenance: _, ...p }) => p);

/** What readers see of the store: lists in every order, a day page, keyword search. */
async function answers(db: Db) {
  const list = (sort: 'trending' | 'upvotes' | 'newest') => trendingListing(db, { sort, filter: {}, page: 1, perPage: 100 });
  const day = (await latestListingDay(db, new Date('2026-12-01T00:00:00Z')))!;
  const [y, m, d] = day.split('-');
  const search = (query: string) => searchListing(db, query, { mode: 'keyword', filter: {}, page: 1, perPage: 50 });
  const out: unknown[] = [day];
  for (const sort of ['trending', 'upvotes', 'newest'] as const) {
    const page = await list(sort);
    out.push(sort, page.total, shown(page.papers), page.categories, page.organizations);
  }
  const dayPage = await periodListing(db, { kind: 'day', day: `${y}-${m}-${d}` }, { sort: 'newest', filter: {}, page: 1, perPage: 100 });
  out.push(dayPage.total, shown(dayPage.papers), dayPage.categories, dayPage.prev, dayPage.next);
  for (const query of ['learning', 'language model', 'cat:cs.LG graph']) {
    const hits = await search(query);
    out.push(query, hits.total, hits.papers.map((p) => p.id));
  }
  return out;
}

describeEachDatabase('read indexes of a bulk import', (open) => {
  test('a store whose read indexes were dropped (an import killed midway) gets every one back when opened', async () => {
    const [db, reference] = [await open(), await open()];
    try {
      const expected = await indexes(reference);
      for (const name of READ_ONLY_INDEXES) assert.ok(expected.has(name), `a migrated store has ${name}`);
      await importFile(db, JSONL, { deferReadIndexes: false });
      // What an import killed between dropping them and building them again leaves.
      for (const name of READ_ONLY_INDEXES) await sql`DROP INDEX ${sql.id(name)}`.execute(db.kysely);
      assert.ok(!(await indexes(db)).has('papers_announced'));
      await migrate(db); // what every open of the store runs
      assert.deepEqual(sorted(await indexes(db)), sorted(expected));
    } finally {
      await Promise.all([db.close(), reference.close()]);
    }
  });

  test('an import that defers them leaves the same indexes and the same answers as one that does not', async () => {
    const [deferred, direct, reference] = [await open(), await open(), await open()];
    try {
      const first = await importFile(deferred, JSONL, { deferReadIndexes: true });
      assert.deepEqual([...(first.deferredIndexes ?? [])].sort(), [...READ_ONLY_INDEXES, ...(deferred.dialect === 'postgres' ? ['papers_fts_document'] : [])].sort());
      const plain = await importFile(direct, JSONL, { deferReadIndexes: false });
      assert.deepEqual(plain.deferredIndexes, []);
      assert.equal(first.added, plain.added);
      // A second file (organizations, upvotes) on top, the same way into both.
      await importFile(deferred, HF_DAILY, { deferReadIndexes: true });
      await importFile(direct, HF_DAILY, { deferReadIndexes: false });
      const expected = sorted(await indexes(reference));
      assert.deepEqual(sorted(await indexes(deferred)), expected);
      assert.deepEqual(sorted(await indexes(direct)), expected);
      assert.deepEqual(await answers(deferred), await answers(direct));
    } finally {
      await Promise.all([deferred.close(), direct.close(), reference.close()]);
    }
  });
});
