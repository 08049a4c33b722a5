import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser } from '../../test/accounts-fixtures.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import type { User } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import { filteredPaperIds } from '../filter/paper-filter.repo.ts';
import { getPapers } from '../papers/papers.repo.ts';
import { addRecords } from '../papers/papers.service.ts';
import { setVote, VOTE_LIMIT, votedAmong } from './votes.service.ts';

describeEachDatabase('upvotes', (open) => {
  let db: Db;
  let ada: User;
  let bob: User;
  const ids: Record<string, number> = {};
  before(async () => {
    db = await open();
    await addRecords(db, [
      // 8 imported upvotes listed 2024-01-03: one local vote makes 9 votes, hotness log10(10) + 1 = 2 exactly.
      { source: 'hf-daily', arxivId: '2401.00001', title: 'Eight on Hugging Face', upvotes: 8, announcedOn: '2024-01-03' },
      { source: 'hf-daily', arxivId: '2401.00002', title: 'Ten on Hugging Face', upvotes: 10, announcedOn: '2024-01-03' },
      { source: 'arxiv-atom', arxivId: '2401.00003', title: 'None anywhere', announcedOn: '2024-01-01' },
    ]);
    for (const r of await db.kysely.selectFrom('papers').select(['id', 'arxiv_id']).execute()) ids[r.arxiv_id!] = r.id;
    ada = await addTestUser(db, 'ada@example.org');
    bob = await addTestUser(db, 'bob@example.org');
  });
  after(() => db.close());

  const row = (arxivId: string) => db.kysely.selectFrom('papers').select(['upvotes', 'local_votes', 'hotness']).where('id', '=', ids[arxivId]).executeTakeFirstOrThrow();

  test('one vote per account per paper; imported upvotes and local votes are kept apart and both count', async () => {
    const first = await setVote(db, ada, ids['2401.00001'], true);
    assert.deepEqual(first, { status: 'ok', voted: true, changed: true, votes: { imported: 8, local: 1, total: 9 } });
    const again = await setVote(db, ada, ids['2401.00001'], true);
    assert.deepEqual(again, { status: 'ok', voted: true, changed: false, votes: { imported: 8, local: 1, total: 9 } }, 'voting twice is one vote');
    assert.deepEqual(await row('2401.00001'), { upvotes: 8, local_votes: 1, hotness: 2 }, 'hotness recomputed with the vote: log10(8 + 1 + 1) + 1 window');
    const [paper] = await getPapers(db.kysely, [ids['2401.00001']]);
    assert.equal(paper.upvotes, 8);
    assert.equal(paper.localVotes, 1);
  });

  test('removing a vote counts down and puts the score back; removing one never cast changes nothing', async () => {
    const removed = await setVote(db, ada, ids['2401.00001'], false);
    assert.deepEqual(removed, { status: 'ok', voted: false, changed: true, votes: { imported: 8, local: 0, total: 8 } });
    assert.deepEqual(await row('2401.00001'), { upvotes: 8, local_votes: 0, hotness: Math.log10(9) + 1 });
    const none = await setVote(db, bob, ids['2401.00001'], false);
    assert.deepEqual(none, { status: 'ok', voted: false, changed: false, votes: { imported: 8, local: 0, total: 8 } });
  });

  test('"most upvoted" and trending order by both counts together', async () => {
    const carl = await addTestUser(db, 'carl@example.org');
    for (const u of [ada, bob, carl]) await setVote(db, u, ids['2401.00001'], true);
    // 8 + 3 = 11 votes rank above 10 imported ones, which imported upvotes alone would not.
    assert.deepEqual(await filteredPaperIds(db, {}, 'upvotes', 10), [ids['2401.00001'], ids['2401.00002'], ids['2401.00003']]);
    assert.deepEqual(await filteredPaperIds(db, {}, 'hotness', 10), [ids['2401.00001'], ids['2401.00002'], ids['2401.00003']]);
    assert.equal((await row('2401.00001')).hotness, Math.log10(12) + 1);
    await setVote(db, carl, ids['2401.00001'], false);
  });

  test('the reader\'s votes among a page of papers', async () => {
    assert.deepEqual([...(await votedAmong(db, ada.id, Object.values(ids)))], [ids['2401.00001']]);
    assert.deepEqual([...(await votedAmong(db, ada.id, []))], []);
  });

  test('a paper that is gone is not found, and nothing is written', async () => {
    assert.deepEqual(await setVote(db, ada, 999_999, true), { status: 'not-found' });
    const votes = await db.kysely.selectFrom('paper_votes').select('paper_id').where('paper_id', '=', 999_999).execute();
    assert.equal(votes.length, 0);
  });

  test('votes cast at once by many accounts all count (no lost update)', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => addTestUser(db, `crowd${i}@example.org`)));
    await Promise.all(users.map((u) => setVote(db, u, ids['2401.00003'], true)));
    const r = await row('2401.00003');
    assert.equal(r.local_votes, 12);
    assert.equal(r.hotness, Math.log10(13), 'the score of all 12 votes, written by the last transaction');
  });

  test('voting is rate limited per account; a refused vote changes nothing', async () => {
    const eve = await addTestUser(db, 'eve@example.org');
    const at = new Date('2026-01-01T10:00:00Z');
    for (let i = 0; i < VOTE_LIMIT.max; i++) {
      const r = await setVote(db, eve, ids['2401.00002'], i % 2 === 0, at);
      assert.equal(r.status, 'ok', `vote ${i + 1}`);
    }
    const before = await row('2401.00002');
    const refused = await setVote(db, eve, ids['2401.00002'], VOTE_LIMIT.max % 2 === 0, at);
    assert.equal(refused.status, 'rate-limited');
    assert.deepEqual(await row('2401.00002'), before);
    const later = await setVote(db, eve, ids['2401.00002'], true, new Date(at.getTime() + 2 * VOTE_LIMIT.windowSeconds * 1000));
    assert.equal(later.status, 'ok', 'once the window has slid past, voting is allowed again');
  });
});
