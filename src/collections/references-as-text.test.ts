import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser, sessionCookieFor } from '../../test/accounts-fixtures.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { mailTestConfig } from '../../test/mail-fixtures.ts';
import { ownedBy, type Owned, type User } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import { createApp } from '../http/app.ts';
import { exportUserData } from '../ops/user-export.service.ts';
import { addRecords } from '../papers/papers.service.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { learnedSummary, prepareRecommendations, readerSignals, recommendationsFor, storeContext } from '../recommend/recommend.service.ts';
import * as collections from './collections.service.ts';
import { importReferences } from './import.service.ts';

const DAY = '2026-07-03';
const config = mailTestConfig();

/** New papers on two topics: the candidates. */
function candidates(): PaperRecord[] {
  const topics = {
    protein: ['protein folding', 'residue contacts', 'binding pockets', 'enzyme design'],
    robots: ['robot grasping', 'legged locomotion', 'tactile manipulation', 'motion planning'],
  };
  return Object.entries(topics).flatMap(([topic, phrases], t) =>
    Array.from({ length: 12 }, (_, i) => ({
      source: 'arxiv-atom' as const,
      arxivId: `2607.${String(t * 100 + i + 1).padStart(5, '0')}v1`,
      title: `${phrases[i % 4]} ${topic} study ${i}`,
      abstract: `We study ${phrases[i % 4]} and ${phrases[(i + 1) % 4]} for ${topic}.`,
      authors: [`Person ${t}${i}`],
      categories: [topic === 'protein' ? 'q-bio.BM' : 'cs.RO'],
      primaryCategory: topic === 'protein' ? 'q-bio.BM' : 'cs.RO',
      announcedOn: DAY,
      publishedAt: `${DAY}T00:00:00Z`,
    })),
  );
}

/** A Zotero export of three protein papers the store does not have (one with markup in its title) and one without a title. */
const LIBRARY = `
@article{one, title = {Deep protein folding with residue contacts}, abstract = {Protein folding from residue contacts and binding pockets.}, journal = {Nature}, year = {2021}}
@article{two, title = {Enzyme design by protein <b>binding</b> pockets}, abstract = {Binding pockets for enzyme design of proteins.}, year = {2022}}
@article{three, title = {Residue contacts in protein folding}, year = {2023}}
@misc{untitled, note = {nothing to go by}}
`;

describeEachDatabase('an uploaded library: entries not in the store are used as text', (open) => {
  let db: Db;
  let ada: User;
  let mine: Owned<collections.CollectionRow>;
  const now = new Date(`${DAY}T12:00:00Z`);
  const isProtein = (title: string) => title.includes('protein');

  before(async () => {
    db = await open();
    await addRecords(db, candidates());
    ada = await addTestUser(db, 'ada@example.org');
    const made = await collections.createCollection(db, ada, { name: 'Zotero' });
    assert.ok(made !== 'too-many');
    mine = ownedBy(ada, made)!;
    await prepareRecommendations(db, now);
  });
  after(() => db.close());

  test('the import keeps the titled unmatched entries once, however often the file is uploaded', async () => {
    const first = await importReferences({ db }, mine, LIBRARY, 'zotero.bib', now);
    assert.equal(first.added.length, 0);
    assert.equal(first.unmatched.length, 4);
    assert.equal(first.asText, 3, 'the three with a title');
    const again = await importReferences({ db }, mine, LIBRARY, 'zotero.bib', now);
    assert.equal(again.asText, 3);
    assert.deepEqual((await collections.keptReferences(db, mine)).titles.sort(), ['Deep protein folding with residue contacts', 'Enzyme design by protein <b>binding</b> pockets', 'Residue contacts in protein folding']);
  });

  test('they are signals with their text, and For you and the collection’s stream rank close papers first', async () => {
    const signals = await readerSignals(db, ada.id, null);
    assert.equal(signals.positives.length, 3);
    assert.ok(signals.positives.every((p) => p.id.startsWith('ref:') && p.kind === 'library'));
    assert.match(signals.positives.find((p) => p.title.startsWith('Deep'))!.abstract, /binding pockets/);
    for (const collectionId of [undefined, mine.id]) {
      const list = await recommendationsFor(db, ada.id, { days: 7, limit: 6, collectionId, now, waitMs: Infinity });
      assert.equal(list.needsOnboarding, false);
      assert.deepEqual(list.items.map((i) => isProtein(i.paper.title)), [true, true, true, true, true, true], `stream ${collectionId ?? 'for you'}`);
      assert.match(list.items.map((i) => i.why).join(' '), /in your (library|collection)|matches/);
    }
    const summary = await learnedSummary(db, ada.id, now);
    assert.ok(summary?.seeds.some((s) => s.title === 'Residue contacts in protein folding'), 'listed among the seed papers');
  });

  test('the owner’s collection page lists them, escaped; nobody else sees them', async () => {
    const app = createApp({ db, config, cacheTtlMs: 0 });
    const cookie = await sessionCookieFor(db, config, ada);
    const page = await (await app.request(`/collections/${mine.public_id}`, { headers: { cookie } })).text();
    assert.match(page, /3 references used as text for your recommendations/);
    assert.match(page, /Enzyme design by protein &lt;b&gt;binding&lt;\/b&gt; pockets/);
    assert.doesNotMatch(page, /<b>binding<\/b>/);
    await collections.updateCollection(db, mine, { visibility: 'public' });
    const other = await (await app.request(`/collections/${mine.public_id}`)).text();
    assert.doesNotMatch(other, /used as text/);
  });

  test('a collection keeps at most its limit of them; the export has them; deleting the collection forgets them', async () => {
    const small = ownedBy(ada, (await collections.createCollection(db, ada, { name: 'Small' })) as collections.CollectionRow)!;
    const result = await importReferences({ db, limits: { ...collections.COLLECTION_LIMITS, references: 2 } }, small, LIBRARY, 'zotero.bib', now);
    assert.equal(result.asText, 2);
    assert.equal(result.asTextOverLimit, 1);
    const exported = await exportUserData(db, 'ada@example.org', now);
    assert.equal((exported!.tables as Record<string, unknown[]>).collection_references.length, 5);
    await collections.deleteCollection(db, mine);
    await collections.deleteCollection(db, small);
    assert.equal((await db.kysely.selectFrom('collection_references').select('id').execute()).length, 0);
    assert.equal((await readerSignals(db, ada.id, (await storeContext(db)).embedder)).positives.length, 0);
  });
});
