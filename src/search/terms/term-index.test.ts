import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/databases.ts';
import type { Db } from '../../db/database.ts';
import { addRecords } from '../../papers/papers.service.ts';
import { loadSearchCorpus, SEARCH_CORPUS } from '../testing.ts';
import { agentNoun, compounds, fieldTerms, indexTerms, KnownCompounds, stem } from './analyze.ts';
import { SnapshotBuilder } from './build.ts';
import { TermIndex } from './term-index.ts';
import { freshSqlite } from '../../../test/databases.ts';
import { search } from '../search.service.ts';
import { tryFileLock } from '../../db/file-lock.ts';
import { TermIndexHandle, termIndexFor } from './handle.ts';

test('index terms: folded, stopwords dropped, Porter-stemmed; compounds also run together', () => {
  assert.deepEqual(indexTerms('The Self-Supervised models are LEARNING naïvely'), ['self', 'supervis', 'model', 'learn', 'naiv']);
  assert.deepEqual(compounds('Self-supervised GPT-4 on ViT-B/16 — state-of-the-art'), ['selfsupervised', 'gpt4', 'vitb16', 'stateoftheart']);
  assert.deepEqual(fieldTerms('GPT-4 report'), ['gpt', '4', 'report', 'gpt4']);
});

test('agent nouns are also indexed as themselves: Porter makes transformer "transform", like transformation', () => {
  assert.equal(stem('transformer'), stem('transformation'));
  assert.equal(agentNoun('transformers'), agentNoun('transformer'));
  assert.ok(agentNoun('encoder') && agentNoun('optimizer') && agentNoun('computers'));
  for (const word of ['transformation', 'paper', 'layers', 'cluster', 'larger', 'considered', 'consider', 'discover', 'recovers']) assert.equal(agentNoun(word), undefined, word);
  assert.deepEqual(fieldTerms('Sparse transformers'), ['spars', 'transform', agentNoun('transformer')]);
});

test('a query word that is an agent noun matches what the database index matches and ranks the papers with the noun first', async () => {
  const db = await freshSqlite();
  try {
    const record = (arxivId: string, title: string) => ({ source: 'arxiv-atom' as const, arxivId, title, abstract: `${title}. We study it.`, authors: ['Some Author'], categories: ['cs.LG'] });
    // The transformation papers have the shorter titles: on the stem alone, BM25 would rank them first.
    await addRecords(db, [record('2501.00001', 'Image transformation'), record('2501.00002', 'Graph transformations'), record('2501.00003', 'A transformer for long sequences of tokens'), record('2501.00004', 'Encoders and transformers for speech recognition at scale')]);
    await termIndexFor(db).ready();
    const found = await search(db, { query: 'transformer', mode: 'keyword' });
    assert.equal(found.total, 4, 'the same papers as the full-text index: every form of "transform"');
    assert.deepEqual(found.results.slice(0, 2).map((r) => r.paper.arxivId).sort(), ['2501.00003', '2501.00004']);
  } finally {
    await db.close();
  }
});

describeEachDatabase('term index', (open) => {
  let db: Db;
  let nameOf: (id: number) => string;
  before(async () => {
    db = await open();
    ({ nameOf } = await loadSearchCorpus(db));
  });
  after(async () => db?.close());

  test('BM25F: rarer words weigh more, a title word more than an abstract word, repeats count once', async () => {
    const index = await new TermIndexHandle(db).ready();
    assert.equal(index.size, 8);
    const rank = (q: string) => index.any(indexTerms(q), 10).map((h) => nameOf(h.id));
    assert.deepEqual(rank('diffusion'), ['survey', 'diffusion']);
    assert.deepEqual(rank('diffusion diffusion diffusion'), rank('diffusion'));
    assert.equal(rank('image synthesis adversarial')[0], 'diffusion');
    assert.equal(index.documentFrequency('model'), 4);
    const [a, b] = index.any(indexTerms('diffusion'), 2);
    assert.ok(a.score >= b.score && b.score > 0);
  });

  test('every term: the intersection, counted, ranked; exclusions and a filter test apply', async () => {
    const index = await termIndexFor(db).ready();
    const all = (q: string, options = {}) => index.all(indexTerms(q), { k: 10, ...options });
    const image = all('image');
    assert.equal(image.total, 4);
    assert.deepEqual(all('image models').hits.map((h) => nameOf(h.id)).sort(), ['diffusion', 'gpt4', 'vit']);
    assert.equal(all('image quantum').total, 0);
    assert.deepEqual(all('image', { exclude: indexTerms('classification') }).hits.map((h) => nameOf(h.id)).sort(), ['diffusion', 'gpt4', 'ssl']);
    const vit = image.hits.find((h) => nameOf(h.id) === 'vit')!.id;
    assert.deepEqual(all('image', { accept: (id: number) => id === vit }), { hits: [{ id: vit, score: image.hits.find((h) => h.id === vit)!.score }], total: 1 });
    assert.equal(all('image', { k: 2 }).hits.length, 2, 'k bounds the page, not the count');
    assert.equal(all('image', { k: 2 }).total, 4);
  });

  test('run-together spellings of compounds, spelling corrections and splits from the store vocabulary', async () => {
    const index = await termIndexFor(db).ready();
    assert.deepEqual(index.all(['selfsupervis'], { k: 5 }).hits.map((h) => nameOf(h.id)), ['ssl'], '"Self-Supervised" is also indexed joined');
    const apart = index.all([['selfsupervis', '~selfsupervis']], { k: 5 }).hits.map((h) => nameOf(h.id)).sort();
    assert.deepEqual(apart, ['speech', 'ssl'], '"Self supervised", a compound the store writes hyphenated, is indexed spelled apart');
    assert.equal(index.all([stem('imageencoders')], { k: 5 }).total, 0, 'words next to each other are not a compound unless the store writes them as one');
    assert.ok(index.wordFrequency('supervised') >= 2);
    assert.equal(index.correction('supervsed', 2)?.word, 'supervised');
    assert.deepEqual(index.split('selfsupervised', 2), ['self', 'supervised']);
    assert.equal(index.correction('zzzzzz'), undefined);
  });

  test('the handle answers at once, builds in a worker and rebuilds when papers are added', async () => {
    const handle = new TermIndexHandle(db, 0);
    assert.equal(handle.current(), undefined, 'nothing until the first build is done');
    const first = await handle.ready();
    assert.equal(first.size, 8);
    await addRecords(db, [{ source: 'arxiv-atom', arxivId: '2604.00010', title: 'Photonic quantum chips' }]);
    const second = await handle.ready();
    assert.equal(second.size, 9);
    assert.equal(second.all(indexTerms('photonic chips'), { k: 5 }).total, 1);
  });

  test('the snapshot is kept beside the store: a new process (a new handle) loads it instead of rebuilding', async () => {
    const file = db.derivedFile('terms');
    const built = await new TermIndexHandle(db).ready();
    const { mtimeMs } = fs.statSync(file);
    const loaded = await new TermIndexHandle(db).ready();
    assert.equal(loaded.fingerprint, built.fingerprint);
    assert.equal(fs.statSync(file).mtimeMs, mtimeMs, 'not rewritten');
  });

  test('one build per store: while another process holds the build lock, a handle waits for its file', async () => {
    const file = db.derivedFile('terms');
    fs.rmSync(file, { force: true });
    const release = tryFileLock(`${file}.lock`)!;
    let done = false;
    const waiting = new TermIndexHandle(db, 0).ready().then((index) => ((done = true), index));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(fs.existsSync(file), false, 'no second build while the lock is held');
    assert.equal(done, false, 'still waiting');
    release();
    assert.ok((await waiting).size >= 8, 'built once the lock is free');
  });

  test('an abstract edited in place (a new arXiv version) is seen at the next rebuild', async () => {
    const handle = termIndexFor(db);
    const find = async (q: string) => (await handle.ready()).any(indexTerms(q), 5).map((h) => nameOf(h.id));
    assert.deepEqual(await find('restaurant'), ['bayes']);
    const v2 = { ...SEARCH_CORPUS.bayes, arxivId: '2602.00005v2', abstract: 'A naïve classifier sorts astronomical spectra of quasars.', updatedAt: '2026-03-01T00:00:00Z' };
    assert.deepEqual(await addRecords(db, [v2]), { added: 0, updated: 1, unchanged: 0 });
    assert.deepEqual(await find('quasar spectra'), ['bayes'], 'the new words find it');
    assert.deepEqual(await find('restaurant'), [], 'the old ones no longer do');
  });
});

test('the builder indexes each paper under exactly the terms fieldTerms gives, spaced compounds included', () => {
  const docs = [
    { id: 3, title: 'Self-supervised transformers', abstract: 'A self supervised encoder for state-of-the-art GPT-4 results.', authors: 'Ann Lee, Bo Chen' },
    { id: 5, title: 'State of the art', abstract: 'Self supervised learning of state of the art encoders; self-supervised again.', authors: 'Bo Chen' },
    { id: 9, title: 'Naïve ViT-B/16 optimizers', abstract: 'Nothing hyphenated here but the title.', authors: '' },
  ];
  const known = new KnownCompounds();
  for (const d of docs) for (const text of [d.title, d.abstract, d.authors]) known.addFrom(text);
  const builder = new SnapshotBuilder();
  for (const d of docs) builder.add(d);
  const index = TermIndex.fromBuffer(builder.finish('test'));
  const expected = new Map<string, Set<number>>();
  for (const d of docs) for (const t of [d.title, d.abstract, d.authors].flatMap((text) => fieldTerms(text, known))) (expected.get(t) ?? expected.set(t, new Set()).get(t)!).add(d.id);
  for (const t of known.terms) expected.set(t, expected.get(t) ?? new Set());
  assert.equal(index.header.terms, expected.size);
  for (const [term, ids] of expected) {
    assert.equal(index.documentFrequency(term), ids.size, term);
    if (ids.size) assert.deepEqual(new Set(index.all([term], { k: 10 }).hits.map((h) => h.id)), ids, term);
  }
  assert.equal(index.wordFrequency('supervised'), 2);
  assert.equal(index.wordFrequency('hyphenated'), 0, 'seen in one paper only: not worth suggesting');
});
