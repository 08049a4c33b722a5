import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { addRecords } from '../papers/papers.service.ts';
import { recomputeAllHotness, recomputeHotness } from './trending.repo.ts';
import { hotness } from './trending.service.ts';

test('hotness pins exact values: log10(upvotes + 1) plus two-day windows since 2024-01-01', () => {
  assert.equal(hotness({ upvotes: 0, announcedOn: '2024-01-01', publishedAt: null }), 0);
  assert.equal(hotness({ upvotes: 9, announcedOn: '2024-01-03', publishedAt: null }), 2);
  assert.equal(hotness({ upvotes: 1, announcedOn: '2024-01-01', publishedAt: null }), 0.3010299956639812);
  // 1,054 days after the epoch = 527 windows, plus two for 99 upvotes.
  assert.equal(hotness({ upvotes: 99, announcedOn: '2026-11-20', publishedAt: null }), 529);
  // 442 days = 221 windows, plus log10(42).
  assert.equal(hotness({ upvotes: 41, announcedOn: '2025-03-18', publishedAt: null }), 222.6232492903979);
  // Without a listing day the published time counts; without either the paper sits at the epoch.
  assert.equal(hotness({ upvotes: 0, announcedOn: null, publishedAt: '2024-01-02T12:00:00Z' }), 0.75);
  assert.equal(hotness({ upvotes: 0, announcedOn: null, publishedAt: null }), 0);
  assert.equal(hotness({ upvotes: -5, announcedOn: '2024-01-01', publishedAt: null }), 0);
});

test('local votes count as much as imported upvotes, and both count', () => {
  // 9 imported + 90 local = 99 votes: two windows, as 99 imported upvotes are.
  assert.equal(hotness({ upvotes: 9, localVotes: 90, announcedOn: '2026-11-20', publishedAt: null }), 529);
  assert.equal(hotness({ upvotes: 0, localVotes: 9, announcedOn: '2024-01-03', publishedAt: null }), 2);
  assert.equal(hotness({ upvotes: 1, localVotes: 0, announcedOn: '2024-01-01', publishedAt: null }), 0.3010299956639812);
  assert.equal(hotness({ upvotes: 0, localVotes: -3, announcedOn: '2024-01-01', publishedAt: null }), 0);
});

test('ten times the upvotes is worth exactly one window of recency', () => {
  const older = hotness({ upvotes: 99, announcedOn: '2026-11-18', publishedAt: null });
  const newer = hotness({ upvotes: 9, announcedOn: '2026-11-20', publishedAt: null });
  assert.equal(older, newer);
});

describeEachDatabase('stored hotness', (open) => {
  let db: Db;
  before(async () => {
    db = await open();
  });
  after(() => db.close());

  const stored = async () =>
    Object.fromEntries(
      (await db.kysely.selectFrom('papers').select(['arxiv_id', 'hotness']).orderBy('hotness', 'desc').orderBy('id', 'desc').execute()).map((r) => [r.arxiv_id, r.hotness]),
    );

  test('imported papers get their score, imported upvotes included', async () => {
    await addRecords(db, [
      { source: 'hf-daily', arxivId: '2611.00001', title: 'Voted', upvotes: 99, announcedOn: '2026-11-20' },
      { source: 'arxiv-atom', arxivId: '2611.00002', title: 'Unvoted', announcedOn: '2026-11-20' },
      { source: 'hf-daily', arxivId: '2611.00003', title: 'Older but voted', upvotes: 9, announcedOn: '2026-11-18' },
    ]);
    assert.deepEqual(await stored(), { '2611.00001': 529, '2611.00002': 527, '2611.00003': 527 - 1 + 1 });
  });

  test('a re-import that raises upvotes recomputes the score', async () => {
    await addRecords(db, [{ source: 'hf-daily', arxivId: '2611.00003', title: 'Older but voted', upvotes: 999, announcedOn: '2026-11-18' }]);
    const scores = await stored();
    assert.equal(scores['2611.00003'], 529);
    assert.deepEqual(Object.keys(scores), ['2611.00003', '2611.00001', '2611.00002']);
  });

  test('local votes stored on a paper enter its score, and a re-import keeps them counted', async () => {
    await db.kysely.updateTable('papers').set({ local_votes: 90 }).where('arxiv_id', '=', '2611.00001').execute();
    assert.equal(await recomputeHotness(db.kysely, [(await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', '2611.00001').executeTakeFirstOrThrow()).id]), 1);
    // 99 imported + 90 local = 189 votes.
    assert.equal((await stored())['2611.00001'], 527 + Math.log10(190));
    // The importer writes the score from the record's upvotes; the local votes must still count after it.
    await addRecords(db, [{ source: 'hf-daily', arxivId: '2611.00001', title: 'Voted', upvotes: 9, announcedOn: '2026-11-20' }]);
    assert.equal((await stored())['2611.00001'], 529, '9 imported + 90 local');
    await db.kysely.updateTable('papers').set({ local_votes: 0 }).where('arxiv_id', '=', '2611.00001').execute();
    await addRecords(db, [{ source: 'hf-daily', arxivId: '2611.00001', title: 'Voted', upvotes: 99, announcedOn: '2026-11-20' }]);
    assert.equal((await stored())['2611.00001'], 529);
  });

  test('recomputeAllHotness repairs scores written before the formula and leaves correct ones alone', async () => {
    await db.kysely.updateTable('papers').set({ hotness: 0 }).where('arxiv_id', '=', '2611.00002').execute();
    assert.equal(await recomputeAllHotness(db.kysely), 1);
    assert.equal((await stored())['2611.00002'], 527);
    assert.equal(await recomputeAllHotness(db.kysely), 0);
  });
});
