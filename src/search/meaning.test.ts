/**
 * What search does beyond matching words as typed: spelling suggestions from the store's vocabulary
 * (applied when the literal query finds nothing), run-together words split, papers found by meaning
 * alone shown below the full matches, and no noise shown as a match.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { vectorToBytes } from '../embed/embedder.ts';
import { upsertVectors } from '../embed/embed.repo.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { addRecords } from '../papers/papers.service.ts';
import { search } from './search.service.ts';
import { termIndexFor } from './terms/handle.ts';
import { hashingEmbedder } from './testing.ts';

const paper = (i: number, title: string, abstract: string): PaperRecord => ({ source: 'jsonl', title: `${title} (${i})`, abstract, announcedOn: '2026-11-02' });
const CORPUS: PaperRecord[] = [
  ...Array.from({ length: 6 }, (_, i) => paper(i, 'Vision transformer scaling', 'A transformer for images, trained at scale.')),
  ...Array.from({ length: 4 }, (_, i) => paper(i, 'Adversarial robustness of classifiers', 'Adversarial examples and certified robustness.')),
  ...Array.from({ length: 3 }, (_, i) => paper(i, 'Self-supervised pretraining', 'Self-supervised objectives for encoders.')),
  ...Array.from({ length: 3 }, (_, i) => paper(i, 'Self supervised speech', 'Self supervised objectives for speech units.')),
  ...Array.from({ length: 2 }, (_, i) => paper(i, 'Graph neural networks for molecules', 'Message passing over molecules.')),
  ...Array.from({ length: 4 }, (_, i) => paper(i, 'Molecular property prediction with message passing', 'Networks that pass messages over molecules and atoms.')),
];

describeEachDatabase('search beyond the words as typed', (open) => {
  let db: Db;
  const embedder = hashingEmbedder(64);
  const deps = { embedder };
  const titles = async (query: string, extra = {}) => (await search(db, { query, limit: 50, ...extra }, deps)).results.map((r) => r.paper.title.replace(/ \(\d+\)$/, ''));

  before(async () => {
    db = await open();
    await addRecords(db, CORPUS);
    const rows = await db.kysely.selectFrom('papers').select(['id', 'title', 'abstract']).execute();
    const vectors = await embedder.embed(rows.map((r) => `${r.title}\n${r.abstract}`));
    await upsertVectors(db.kysely, embedder.id, embedder.dimensions, rows.map((r, i) => ({ paperId: r.id, vector: vectorToBytes(vectors[i]) })));
    await termIndexFor(db).ready();
  });
  after(async () => db?.close());

  test('a misspelled word gets the store\'s word: applied when the query as written finds nothing', async () => {
    const r = await search(db, { query: 'trasnformer' }, deps);
    assert.deepEqual(r.suggestion, { query: 'transformer', applied: true });
    assert.equal(r.results.length, 6);
    assert.ok(r.results.every((x) => x.paper.title.startsWith('Vision transformer')));
    const two = await search(db, { query: 'advesarial robustnes', mode: 'keyword' }, deps);
    assert.deepEqual(two.suggestion, { query: 'adversarial robustness', applied: true });
    assert.equal(two.total, 4);
    const literal = await search(db, { query: 'trasnformer', literal: true, mode: 'keyword' }, deps);
    assert.deepEqual(literal.suggestion, { query: 'transformer', applied: false });
    assert.equal(literal.results.length, 0, 'the literal query: what it finds, nothing');
  });

  test('a run-together word finds the hyphenated and the spaced spellings', async () => {
    const found = await titles('selfsupervised', { mode: 'keyword' });
    assert.deepEqual([...new Set(found)].sort(), ['Self supervised speech', 'Self-supervised pretraining']);
    assert.deepEqual([...new Set(await titles('self supervised', { mode: 'keyword' }))].sort(), ['Self supervised speech', 'Self-supervised pretraining']);
  });

  test('papers found by meaning alone follow the full matches, marked related', async () => {
    const r = await search(db, { query: 'graph molecules', limit: 20 }, deps);
    assert.equal(r.mode, 'hybrid');
    assert.equal(r.total, 2, 'two papers have both words');
    assert.deepEqual(r.results.slice(0, 2).map((x) => [x.paper.title.startsWith('Graph neural networks'), x.related]), [[true, undefined], [true, undefined]]);
    const related = r.results.slice(2);
    assert.ok(related.length > 0 && related.every((x) => x.related), 'more papers, each marked related');
    assert.ok(related.some((x) => x.paper.title.startsWith('Molecular property')), 'the molecule papers without "graph" are among them');
  });

  test('words no paper has and no correction fits: nothing is shown as a match', async () => {
    for (const query of ['数据', 'qqxzvwk']) {
      const r = await search(db, { query }, deps);
      assert.ok(r.results.length === 0 || r.closest, `${query}: ${r.results.length} results shown as matches`);
      assert.equal(r.suggestion, undefined);
    }
    const partial = await search(db, { query: 'molecules quantum', mode: 'keyword' }, deps);
    assert.equal(partial.closest, true, 'no paper has both words: the closest ones, said so');
  });
});
