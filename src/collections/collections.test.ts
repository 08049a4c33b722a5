import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser } from '../../test/accounts-fixtures.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { addFixturePapers } from '../../test/mail-fixtures.ts';
import { ownedBy, type User } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import * as collections from './collections.service.ts';

describeEachDatabase('collections: lists of papers with notes, private, unlisted or public', (open) => {
  let db: Db;
  let ada: User;
  let bob: User;
  let paperIds: number[];

  before(async () => {
    db = await open();
    await addFixturePapers(db);
    ada = await addTestUser(db, 'ada@example.org');
    bob = await addTestUser(db, 'bob@example.org');
    paperIds = (await db.kysely.selectFrom('papers').select('id').orderBy('id').execute()).map((r) => r.id);
  });
  after(() => db.close());

  const own = async (user: User, publicId: string) => {
    const owned = ownedBy(user, await collections.findCollection(db, publicId));
    assert.ok(owned, 'the owner gets the collection as Owned');
    return owned;
  };

  test('a new collection is private by default, addressed by a random id, and listed as its owner\'s', async () => {
    const made = await collections.createCollection(db, ada, { name: 'Reading group' });
    assert.ok(made !== 'too-many');
    assert.equal(made.visibility, 'private');
    assert.match(made.public_id, /^[A-Za-z0-9_-]{16}$/);
    const other = await collections.createCollection(db, ada, { name: 'Diffusion', description: 'Generative models', visibility: 'public' });
    assert.ok(other !== 'too-many');
    assert.notEqual(other.public_id, made.public_id);
    const mine = await collections.myCollections(db, ada);
    assert.deepEqual(mine.map((c) => c.name).sort(), ['Diffusion', 'Reading group']);
    assert.deepEqual(await collections.myCollections(db, bob), []);
  });

  test('who may read: the owner always, anyone a public or unlisted one, nobody else a private one', async () => {
    for (const visibility of ['private', 'unlisted', 'public'] as const) {
      const made = await collections.createCollection(db, ada, { name: `Seen ${visibility}`, visibility });
      assert.ok(made !== 'too-many');
      const row = await collections.findCollection(db, made.public_id);
      assert.equal(collections.readableBy(ada, row), true);
      assert.equal(collections.readableBy(bob, row), visibility !== 'private');
      assert.equal(collections.readableBy(undefined, row), visibility !== 'private');
    }
    assert.equal(collections.readableBy(ada, undefined), false);
    assert.equal(await collections.findCollection(db, 'no-such-collection'), undefined);
  });

  test('papers are added with a note, the note can be changed, a paper removed; counts follow', async () => {
    const made = await collections.createCollection(db, ada, { name: 'Notes' });
    assert.ok(made !== 'too-many');
    const mine = await own(ada, made.public_id);
    assert.equal(await collections.addPaper(db, mine, paperIds[0], 'Read section 3 first'), 'added');
    assert.equal(await collections.addPaper(db, mine, paperIds[1]), 'added');
    assert.equal(await collections.addPaper(db, mine, paperIds[0], 'Read section 4 first'), 'updated');
    const page = await collections.collectionPapers(db, mine, 1);
    assert.equal(page.total, 2);
    assert.deepEqual(
      page.entries.map((e) => [e.paper.id, e.note]),
      [
        [paperIds[1], ''],
        [paperIds[0], 'Read section 4 first'],
      ],
      'newest first, note replaced',
    );
    assert.equal(await collections.removePaper(db, mine, paperIds[1]), true);
    assert.equal(await collections.removePaper(db, mine, paperIds[1]), false, 'removing twice removes nothing');
    assert.equal((await collections.collectionPapers(db, mine, 1)).total, 1);
    const [summary] = (await collections.myCollections(db, ada)).filter((c) => c.publicId === made.public_id);
    assert.equal(summary.paperCount, 1);
  });

  test('changing and deleting a collection; a deleted one is gone with its papers', async () => {
    const made = await collections.createCollection(db, bob, { name: 'Old name' });
    assert.ok(made !== 'too-many');
    const mine = await own(bob, made.public_id);
    await collections.addPaper(db, mine, paperIds[2]);
    await collections.updateCollection(db, mine, { name: 'New name', visibility: 'unlisted', description: 'Now shared' });
    const changed = await collections.findCollection(db, made.public_id);
    assert.equal(changed?.name, 'New name');
    assert.equal(changed?.visibility, 'unlisted');
    assert.equal(changed?.description, 'Now shared');
    await collections.deleteCollection(db, await own(bob, made.public_id));
    assert.equal(await collections.findCollection(db, made.public_id), undefined);
    const left = await db.kysely.selectFrom('collection_papers').select('paper_id').where('collection_id', '=', mine.id).execute();
    assert.deepEqual(left, []);
  });

  test('limits: collections per account and papers per collection', async () => {
    const carol = await addTestUser(db, 'carol@example.org');
    const limits = { ...collections.COLLECTION_LIMITS, perUser: 2, papers: 3 };
    assert.notEqual(await collections.createCollection(db, carol, { name: 'One' }, limits), 'too-many');
    const second = await collections.createCollection(db, carol, { name: 'Two' }, limits);
    assert.notEqual(second, 'too-many');
    assert.equal(await collections.createCollection(db, carol, { name: 'Three' }, limits), 'too-many');
    const mine = await own(carol, (second as { public_id: string }).public_id);
    for (const id of paperIds.slice(0, 3)) assert.equal(await collections.addPaper(db, mine, id, '', limits), 'added');
    assert.equal(await collections.addPaper(db, mine, paperIds[3], '', limits), 'full');
    assert.equal(await collections.addPaper(db, mine, paperIds[0], 'a note on one already in', limits), 'updated', 'a full collection still takes notes');
  });

  test('which of a page\'s papers are in which of the reader\'s collections (one query for a card list)', async () => {
    const dave = await addTestUser(db, 'dave@example.org');
    const a = await collections.createCollection(db, dave, { name: 'A' });
    const b = await collections.createCollection(db, dave, { name: 'B' });
    assert.ok(a !== 'too-many' && b !== 'too-many');
    await collections.addPaper(db, await own(dave, a.public_id), paperIds[5]);
    await collections.addPaper(db, await own(dave, b.public_id), paperIds[5]);
    await collections.addPaper(db, await own(dave, b.public_id), paperIds[6]);
    const held = await collections.membershipsOf(db, dave, [paperIds[5], paperIds[6], paperIds[7]]);
    assert.deepEqual(held.get(paperIds[5])?.sort(), [a.public_id, b.public_id].sort());
    assert.deepEqual(held.get(paperIds[6]), [b.public_id]);
    assert.equal(held.get(paperIds[7]), undefined);
    assert.equal((await collections.membershipsOf(db, ada, [paperIds[5]])).get(paperIds[5]), undefined, 'another account\'s collections are not mine');
  });

  test('the public directory lists public collections with papers, never unlisted or private ones', async () => {
    const erin = await addTestUser(db, 'erin@example.org');
    for (const visibility of ['private', 'unlisted', 'public'] as const) {
      const made = await collections.createCollection(db, erin, { name: `Erin ${visibility}`, visibility });
      assert.ok(made !== 'too-many');
      await collections.addPaper(db, await own(erin, made.public_id), paperIds[8]);
    }
    const listed = await collections.publicCollections(db, 1);
    const names = listed.collections.map((c) => c.name);
    assert.ok(names.includes('Erin public'));
    assert.ok(!names.includes('Erin unlisted') && !names.includes('Erin private'));
    assert.equal(listed.collections.find((c) => c.name === 'Erin public')?.ownerName, 'erin');
  });
});
