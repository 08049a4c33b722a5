import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser } from '../../test/accounts-fixtures.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import type { User } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import type { PaperFilter } from '../filter/paper-filter.ts';
import { filteredPaperIds } from '../filter/paper-filter.repo.ts';
import { type FilterCorpusKey, loadFilterCorpus } from '../filter/testing.ts';
import { follow, followingListing, followsOf, followStateAmong, MAX_FOLLOWS, unfollow } from './follows.service.ts';

describeEachDatabase('follows: authors, organizations, categories, and the Following list', (open) => {
  let db: Db;
  let ids: Record<FilterCorpusKey, number>;
  let nameOf: (id: number) => FilterCorpusKey;
  let ada: User;
  let bob: User;
  let lecun: number;
  before(async () => {
    db = await open();
    ({ ids, nameOf } = await loadFilterCorpus(db));
    ada = await addTestUser(db, 'ada@example.org');
    bob = await addTestUser(db, 'bob@example.org');
    lecun = (await db.kysely.selectFrom('authors').select('id').where('name', '=', 'Yann LeCun').executeTakeFirstOrThrow()).id;
  });
  after(() => db.close());

  const names = async (f: PaperFilter) => (await filteredPaperIds(db, f, 'newest', 100)).map(nameOf).sort();

  test('following an author, an organization and a category selects their papers, for that account only', async () => {
    assert.deepEqual(await names({ followedBy: ada.id }), [], 'nothing followed, nothing listed');
    const author = await follow(db, ada, { author: lecun });
    assert.deepEqual(author, { status: 'ok', created: true, follow: { kind: 'author', id: lecun, name: 'Yann LeCun' } });
    assert.deepEqual(await follow(db, ada, { organization: 'OpenAI' }), { status: 'ok', created: true, follow: { kind: 'organization', slug: 'openai', name: 'OpenAI' } }, 'by name or slug');
    assert.deepEqual(await follow(db, ada, { category: 'hep-th' }), { status: 'ok', created: true, follow: { kind: 'category', category: 'hep-th' } });
    assert.deepEqual(await names({ followedBy: ada.id }), ['cl', 'hep', 'lg', 'old']);
    assert.deepEqual(await names({ followedBy: bob.id }), []);
    assert.deepEqual(await names({ followedBy: ada.id, since: '2026-01-01' }), ['cl', 'hep', 'lg'], 'with the other filters');
  });

  test('a whole archive is followed like the paper filter reads it; a category in any case', async () => {
    await follow(db, bob, { category: 'physics' });
    await follow(db, bob, { category: 'MATH.ca' });
    assert.deepEqual(await names({ followedBy: bob.id }), ['math', 'optics']);
  });

  test('following twice is one follow; unknown targets are not found; a bad category is refused', async () => {
    assert.deepEqual(await follow(db, ada, { author: lecun }), { status: 'ok', created: false, follow: { kind: 'author', id: lecun, name: 'Yann LeCun' } });
    assert.equal((await db.kysely.selectFrom('follows').select('id').where('user_id', '=', ada.id).execute()).length, 3);
    assert.deepEqual(await follow(db, ada, { author: 999_999 }), { status: 'not-found' });
    assert.deepEqual(await follow(db, ada, { organization: 'no-such-lab' }), { status: 'not-found' });
    assert.deepEqual(await follow(db, ada, { category: 'not a category' }), { status: 'not-found' });
  });

  test('what an account follows, and which of a page\'s authors, organizations and categories', async () => {
    assert.deepEqual(await followsOf(db, ada.id), [
      { kind: 'author', id: lecun, name: 'Yann LeCun' },
      { kind: 'organization', slug: 'openai', name: 'OpenAI' },
      { kind: 'category', category: 'hep-th' },
    ]);
    const state = await followStateAmong(db, ada.id, { authorIds: [lecun, lecun + 1000], organizationSlugs: ['openai', 'meta'], categories: ['HEP-TH', 'cs.LG'] });
    assert.deepEqual(state, { authorIds: new Set([lecun]), organizationSlugs: new Set(['openai']), categories: new Set(['hep-th']) });
  });

  test('the Following list: their papers newest first, paged, counted', async () => {
    const list = await followingListing(db, ada.id, { page: 1, perPage: 2 });
    assert.equal(list.total, 4);
    assert.equal(list.pageCount, 2);
    assert.deepEqual(list.papers.map((p) => nameOf(p.id)), ['hep', 'cl']);
    const hidden = await followingListing(db, ada.id, { page: 1, perPage: 10, filter: { excludeCategories: ['cs.CL'] } });
    assert.deepEqual(hidden.papers.map((p) => nameOf(p.id)), ['hep', 'lg', 'old']);
  });

  test('unfollowing removes only that follow', async () => {
    const openai = { kind: 'organization', slug: 'openai', name: 'OpenAI' };
    assert.deepEqual(await unfollow(db, ada, { organization: 'openai' }), { status: 'ok', removed: true, follow: openai });
    assert.deepEqual(await unfollow(db, ada, { organization: 'openai' }), { status: 'ok', removed: false, follow: openai });
    assert.deepEqual(await names({ followedBy: ada.id }), ['hep', 'lg', 'old']);
    assert.deepEqual(await names({ followedBy: bob.id }), ['math', 'optics']);
  });

  test('an account follows at most MAX_FOLLOWS things', async () => {
    const eve = await addTestUser(db, 'eve@example.org');
    const rows = Array.from({ length: MAX_FOLLOWS }, (_, i) => ({ user_id: eve.id, category: `x${i}`, category_key: `x${i}`, created_at: '2026-01-01T00:00:00Z' }));
    for (let i = 0; i < rows.length; i += 200) await db.kysely.insertInto('follows').values(rows.slice(i, i + 200)).execute();
    assert.deepEqual(await follow(db, eve, { category: 'cs.LG' }), { status: 'too-many' });
  });
});
