import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { addRecords } from '../papers/papers.service.ts';
import { indexTerms, TermIndexHandle, termIndexFor } from './term-index.ts';
import { loadSearchCorpus, SEARCH_CORPUS } from './testing.ts';

test('index terms: folded, stopwords dropped, Porter-stemmed', () => {
  assert.deepEqual(indexTerms('The Self-Supervised models are LEARNING naïvely'), ['self', 'supervis', 'model', 'learn', 'naiv']);
});

describeEachDatabase('term index', (open) => {
  let db: Db;
  let nameOf: (id: number) => string;
  before(async () => {
    db = await open();
    ({ nameOf } = await loadSearchCorpus(db));
  });
  after(async () => db?.close());

  test('BM25: rarer words weigh more, a title word more than an abstract word, repeats count once', async () => {
    const index = await new TermIndexHandle(db.kysely).ready();
    assert.equal(index.size, 8);
    const rank = (q: string) => index.search(indexTerms(q), 10).map((h) => nameOf(h.id));
    assert.deepEqual(rank('diffusion'), ['survey', 'diffusion']);
    assert.deepEqual(rank('diffusion diffusion diffusion'), rank('diffusion'));
    assert.equal(rank('image synthesis adversarial')[0], 'diffusion');
    assert.equal(index.documentFrequency('model'), 4);
    const [a, b] = index.search(indexTerms('diffusion'), 2);
    assert.ok(a.score >= b.score && b.score > 0);
  });

  test('the handle answers at once, builds in the background and rebuilds when papers are added', async () => {
    const handle = new TermIndexHandle(db.kysely, 0);
    assert.equal(handle.current(), undefined, 'nothing until the first build is done');
    const first = await handle.ready();
    assert.equal(first.size, 8);
    await addRecords(db, [{ source: 'arxiv-atom', arxivId: '2604.00010', title: 'Photonic quantum chips' }]);
    const second = await handle.ready();
    assert.equal(second.size, 9);
    assert.deepEqual(second.search(indexTerms('photonic chips'), 5).map((h) => nameOf(h.id)).length, 1);
  });

  test('an abstract edited in place (a new arXiv version) is seen at the next rebuild', async () => {
    const handle = termIndexFor(db.kysely);
    const find = async (q: string) => (await handle.ready()).search(indexTerms(q), 5).map((h) => nameOf(h.id));
    assert.deepEqual(await find('restaurant'), ['bayes']);
    const v2 = { ...SEARCH_CORPUS.bayes, arxivId: '2602.00005v2', abstract: 'A naïve classifier sorts astronomical spectra of quasars.', updatedAt: '2026-03-01T00:00:00Z' };
    assert.deepEqual(await addRecords(db, [v2]), { added: 0, updated: 1, unchanged: 0 });
    assert.deepEqual(await find('quasar spectra'), ['bayes'], 'the new words find it');
    assert.deepEqual(await find('restaurant'), [], 'the old ones no longer do');
  });
});
