import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser } from '../../test/accounts-fixtures.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import type { User } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import { mergeFilters, type PaperFilter } from '../filter/paper-filter.ts';
import { countFilteredPapers, filteredPaperIds, idsPassing } from '../filter/paper-filter.repo.ts';
import { type FilterCorpusKey, loadFilterCorpus } from '../filter/testing.ts';
import { readingStatesAmong, setReadingState, takeBackReadingState } from './reading.service.ts';

describeEachDatabase('reading state: read, not interested, and lists that hide them', (open) => {
  let db: Db;
  let ids: Record<FilterCorpusKey, number>;
  let nameOf: (id: number) => FilterCorpusKey;
  let ada: User;
  let bob: User;
  before(async () => {
    db = await open();
    ({ ids, nameOf } = await loadFilterCorpus(db));
    ada = await addTestUser(db, 'ada@example.org');
    bob = await addTestUser(db, 'bob@example.org');
  });
  after(() => db.close());

  const names = async (f: PaperFilter) => (await filteredPaperIds(db, f, 'newest', 100)).map(nameOf).sort();

  test('marking read and not interested keeps one state per paper, the latest', async () => {
    assert.deepEqual(await setReadingState(db, ada, ids.lg, 'read'), { status: 'ok', state: 'read' });
    assert.deepEqual(await setReadingState(db, ada, ids.cv, 'read'), { status: 'ok', state: 'read' });
    assert.deepEqual(await setReadingState(db, ada, ids.cv, 'dismissed'), { status: 'ok', state: 'dismissed' });
    const states = await readingStatesAmong(db, ada.id, [ids.lg, ids.cv, ids.cl]);
    assert.deepEqual([...states].sort(), [[ids.cv, 'dismissed'], [ids.lg, 'read']].sort());
    assert.equal((await db.kysely.selectFrom('reading_states').select('paper_id').where('user_id', '=', ada.id).execute()).length, 2);
    assert.deepEqual(await setReadingState(db, ada, 999_999, 'read'), { status: 'not-found' });
  });

  test('unseenBy leaves out what that reader read or is not interested in, and nobody else\'s', async () => {
    const all = await names({});
    assert.deepEqual(await names({ unseenBy: ada.id }), all.filter((n) => n !== 'lg' && n !== 'cv'));
    assert.deepEqual(await names({ unseenBy: bob.id }), all);
    assert.deepEqual(await names({ categories: ['cs'], unseenBy: ada.id }), ['cl', 'stat'], 'with the other filters');
    assert.equal(await countFilteredPapers(db, { categories: ['cs'], unseenBy: ada.id }), 2);
    assert.deepEqual([...(await idsPassing(db, { unseenBy: ada.id }, [ids.lg, ids.cl]))], [ids.cl], 'what ranked search checks its hits with');
    assert.equal(mergeFilters({ categories: ['cs'] }, { unseenBy: ada.id }).unseenBy, ada.id, 'a merged filter keeps it');
  });

  test('taking back one state leaves the other alone', async () => {
    assert.deepEqual(await takeBackReadingState(db, ada, ids.cv, 'read'), { status: 'ok', state: 'dismissed' }, 'unmarking read keeps not interested');
    assert.deepEqual(await takeBackReadingState(db, ada, ids.cv, 'dismissed'), { status: 'ok', state: null });
    assert.deepEqual(await setReadingState(db, ada, ids.cv, 'dismissed'), { status: 'ok', state: 'dismissed' });
    assert.deepEqual(await takeBackReadingState(db, ada, 999_999, 'read'), { status: 'not-found' });
  });

  test('clearing a state shows the paper again', async () => {
    assert.deepEqual(await setReadingState(db, ada, ids.lg, null), { status: 'ok', state: null });
    assert.deepEqual(await names({ categories: ['cs'], unseenBy: ada.id }), ['cl', 'lg', 'stat']);
  });
});
