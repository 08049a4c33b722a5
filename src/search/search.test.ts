import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { vectorToBytes } from '../embed/embedder.ts';
import { upsertVectors } from '../embed/embed.repo.ts';
import { addRecords } from '../papers/papers.service.ts';
import { search, type SearchRequest } from './search.service.ts';
import { findSimilar } from './similar.ts';
import { type CorpusKey, hashingEmbedder, loadSearchCorpus, SEARCH_CORPUS } from './testing.ts';

describeEachDatabase('search service', (open) => {
  let db: Db;
  let ids: Record<CorpusKey, number>;
  let nameOf: (id: number) => string;
  const embedder = hashingEmbedder(64);
  const deps = { embedder };
  const names = async (request: SearchRequest, d = deps) => (await search(db, request, d)).results.map((r) => nameOf(r.paper.id));

  before(async () => {
    db = await open();
    ({ ids, nameOf } = await loadSearchCorpus(db));
    // Every paper but the attention one gets a vector from the test embedder.
    const embedded = (Object.keys(SEARCH_CORPUS) as CorpusKey[]).filter((k) => k !== 'attention');
    const vectors = await embedder.embed(embedded.map((k) => `${SEARCH_CORPUS[k].title}. ${SEARCH_CORPUS[k].abstract}`));
    await upsertVectors(db.kysely, embedder.id, embedder.dimensions, embedded.map((k, i) => ({ paperId: ids[k], vector: vectorToBytes(vectors[i]) })));
  });
  after(async () => db?.close());

  test('keyword mode: ranked keyword hits, matched terms, parsed query, total when the list ran out', async () => {
    const r = await search(db, { query: 'diffusion -survey image', mode: 'keyword' }, deps);
    assert.equal(r.mode, 'keyword');
    assert.deepEqual(r.results.map((x) => nameOf(x.paper.id)), ['diffusion']);
    assert.deepEqual(r.results[0].matchedTerms, ['diffusion', 'image']);
    assert.equal(r.total, 1);
    assert.deepEqual(r.parsedQuery.excluded.map((c) => c.raw), ['survey']);
  });

  test('sort by newest or upvotes lists the papers with every word in that order, counted exactly', async () => {
    const newest = await search(db, { query: 'image', sort: 'newest' }, deps);
    assert.deepEqual(newest.results.map((r) => nameOf(r.paper.id)), ['gpt4', 'vit', 'diffusion', 'ssl']);
    assert.equal(newest.total, 4);
    const ranked = await search(db, { query: 'image' }, deps);
    assert.equal(ranked.total, 4, 'a ranked search is counted the same way');
    assert.deepEqual(ranked.results.map((r) => nameOf(r.paper.id)).sort(), ['diffusion', 'gpt4', 'ssl', 'vit']);
    const partial = await search(db, { query: 'diffusion quantum', sort: 'newest' }, deps);
    assert.equal(partial.partial, true, 'no paper has both: the ones with one of them, said so');
    assert.deepEqual(partial.results.map((r) => nameOf(r.paper.id)), ['survey', 'diffusion']);
  });

  test('semantic mode ranks by vector similarity, even without a shared word in the title', async () => {
    const r = await search(db, { query: 'denoising diffusion probabilistic models generative adversarial', mode: 'semantic' }, deps);
    assert.equal(r.mode, 'semantic');
    assert.equal(nameOf(r.results[0].paper.id), 'diffusion');
    assert.ok(r.results[0].vectorScore! > 0.5);
  });

  test('hybrid mode fuses both sides; a paper without a vector still ranks by its keywords', async () => {
    const r = await search(db, { query: 'diffusion models' }, deps);
    assert.equal(r.mode, 'hybrid');
    assert.deepEqual(r.results.slice(0, 2).map((x) => nameOf(x.paper.id)).sort(), ['diffusion', 'survey']);
    assert.ok(r.results[0].keywordScore !== undefined && r.results[0].vectorScore !== undefined);
    const attention = await search(db, { query: 'attention recurrence' }, deps);
    assert.equal(nameOf(attention.results[0].paper.id), 'attention', 'no vector: keyword-only for that paper');
    assert.equal(attention.results[0].vectorScore, undefined);
  });

  test('hybrid and semantic fall back to keyword without an embedder or without vectors', async () => {
    assert.equal((await search(db, { query: 'diffusion' }, { embedder: null })).mode, 'keyword');
    const unembedded = hashingEmbedder(32, 'never-ran');
    const r = await search(db, { query: 'diffusion', mode: 'semantic' }, { embedder: unembedded });
    assert.equal(r.mode, 'keyword');
    assert.deepEqual(r.results.map((x) => nameOf(x.paper.id)).sort(), ['diffusion', 'survey']);
  });

  test('filters apply to both sides of a hybrid search', async () => {
    for (const mode of ['keyword', 'semantic', 'hybrid'] as const) {
      assert.deepEqual((await names({ query: 'image', mode, filters: { categories: ['cs.CV'], until: '2025-06-30' } })).sort(), ['diffusion', 'ssl'], mode);
      assert.deepEqual(await names({ query: 'image models org:openai -survey -GPT-4', mode }), ['diffusion'], mode);
      assert.ok(!(await names({ query: 'diffusion models -cat:cs.CV', mode })).includes('diffusion'), mode);
    }
  });

  test('filters alone list the newest papers that pass them', async () => {
    const r = await search(db, { query: 'cat:cs.CL' }, deps);
    assert.deepEqual(r.results.map((x) => nameOf(x.paper.id)), ['gpt4', 'speech', 'attention']);
    assert.deepEqual(await names({ query: '', filters: { authors: ['Baevski'] } }), ['speech']);
    assert.deepEqual((await search(db, { query: '   ' }, deps)).results, []);
  });

  test('an arXiv id finds that paper', async () => {
    assert.deepEqual(await names({ query: 'arXiv:2505.00006v2' }), ['diffusion']);
    assert.deepEqual(await names({ query: 'https://arxiv.org/abs/2501.00008' }), ['attention']);
  });

  test('limit and offset page through hybrid results without overlap', async () => {
    const all = await names({ query: 'image models learning', limit: 6 });
    const pages = [...(await names({ query: 'image models learning', limit: 3 })), ...(await names({ query: 'image models learning', limit: 3, offset: 3 }))];
    assert.deepEqual(pages, all);
  });

  test('similar papers: vector neighbours with tie-breakers, keyword fallback without a vector, cached', async () => {
    const similar = await findSimilar(db, ids.ssl, 3, deps);
    assert.equal(similar[0].via, 'vector');
    assert.ok(!similar.some((s) => s.paper.id === ids.ssl), 'never the paper itself');
    assert.equal(nameOf(similar[0].paper.id), 'speech', 'self-supervised, same organization words');
    const fallback = await findSimilar(db, ids.attention, 3, deps);
    assert.equal(fallback[0].via, 'keyword');
    assert.ok(fallback.length > 0);
    assert.deepEqual(await findSimilar(db, 999_999, 3, deps), []);
    // A new vector for the attention paper changes the index version: the cached keyword answer is not reused.
    const [v] = await embedder.embed(['Attention transformers for image classification']);
    await upsertVectors(db.kysely, embedder.id, embedder.dimensions, [{ paperId: ids.attention, vector: vectorToBytes(v) }], '2099-01-01T00:00:00.000Z');
    const { activeVectorIndex } = await import('./search.service.ts');
    await (await activeVectorIndex(db, deps))!.index.sync(db.kysely, { force: true });
    assert.equal((await findSimilar(db, ids.attention, 3, deps))[0].via, 'vector');
  });

  test('new papers are searchable right after import', async () => {
    await addRecords(db, [{ source: 'arxiv-atom', arxivId: '2603.00009', title: 'Quantum error correction with surface codes', announcedOn: '2026-03-01' }]);
    const { results } = await search(db, { query: 'surface codes' }, deps);
    assert.equal(results[0].paper.arxivId, '2603.00009');
    assert.ok(results.slice(1).every((r) => r.related), 'anything after the one match is related by meaning only');
  });
});
