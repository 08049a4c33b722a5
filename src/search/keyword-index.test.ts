import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { keywordIndexFor, type KeywordIndex, orClausesToRank } from './keyword-index.ts';
import { termIndexFor } from './terms/handle.ts';
import type { TermIndex } from './terms/term-index.ts';
import { type CorpusKey, loadSearchCorpus } from './testing.ts';

describeEachDatabase('keyword index', (open) => {
  let db: Db;
  let index: KeywordIndex;
  let ids: Record<CorpusKey, number>;
  let nameOf: (id: number) => string;
  before(async () => {
    db = await open();
    index = keywordIndexFor(db.dialect);
    ({ ids, nameOf } = await loadSearchCorpus(db));
  });
  after(async () => db?.close());

  const names = async (query: string, limit = 10, offset = 0) => (await index.search(db.kysely, query, limit, { offset })).hits.map((h) => nameOf(h.id));
  const sorted = async (query: string) => (await names(query)).sort();

  test('plain words need all of them in short queries; a title match outranks an abstract one', async () => {
    assert.deepEqual(await sorted('diffusion models'), ['diffusion', 'survey']);
    assert.deepEqual(await names('transformer attention'), ['attention']);
    assert.deepEqual(await names('recurrence'), ['attention']);
  });

  test('stemming: singular and plural, -ing and -ed forms meet', async () => {
    assert.deepEqual(await sorted('transformers'), ['attention', 'vit']);
    assert.deepEqual(await names('denoise'), ['diffusion']);
  });

  test('"exact phrases" match words in that order only', async () => {
    assert.deepEqual(await names('"image synthesis"'), ['diffusion']);
    assert.deepEqual(await names('"synthesis image"'), []);
  });

  test('-excluded words and phrases remove papers', async () => {
    assert.deepEqual(await names('diffusion -survey'), ['diffusion']);
    assert.deepEqual(await names('diffusion -"image synthesis"'), ['survey']);
  });

  test('hyphenated terms match the hyphenated, spaced and joined spellings', async () => {
    assert.deepEqual(await sorted('self-supervised'), ['speech', 'ssl']);
    assert.deepEqual(await sorted('self supervised'), ['speech', 'ssl']);
    assert.deepEqual(await sorted('"self supervised"'), ['speech', 'ssl']);
    assert.deepEqual(await sorted('selfsupervised'), ['ssl'], 'joined, it matches the hyphenated spelling (the spaced one is the search service\'s split)');
  });

  test('acronyms and model names: GPT-4, gpt4, ViT-B/16', async () => {
    assert.deepEqual(await names('GPT-4'), ['gpt4']);
    assert.deepEqual(await names('gpt4'), ['gpt4']);
    assert.deepEqual(await names('GPT 4 report'), ['gpt4']);
    assert.deepEqual(await names('ViT-B/16'), ['vit']);
    assert.deepEqual(await names('vit-b16'), ['vit']);
  });

  test('accents are folded on both sides', async () => {
    assert.deepEqual(await names('naive'), ['bayes']);
    assert.deepEqual(await names('naïve café'), ['bayes']);
    assert.deepEqual(await names('Schrodinger'), ['bayes']);
    assert.deepEqual(await names('garcia'), ['bayes'], 'author names are indexed too');
  });

  test('filters written in the query: author, cat, org, year, since, until', async () => {
    assert.deepEqual(await sorted('supervised author:lecun'), ['ssl']);
    assert.deepEqual(await sorted('supervised author:"Yann LeCun"'), ['ssl']);
    assert.deepEqual(await sorted('supervised -author:lecun'), ['speech']);
    assert.deepEqual(await sorted('diffusion cat:cs.cv'), ['diffusion']);
    assert.deepEqual(await sorted('image cat:cs'), ['diffusion', 'gpt4', 'ssl', 'vit']);
    assert.deepEqual(await sorted('diffusion -cat:cs.CV'), ['survey']);
    assert.deepEqual(await sorted('image org:openai'), ['diffusion', 'gpt4']);
    assert.deepEqual(await sorted('image org:"Meta AI"'), ['ssl']);
    assert.deepEqual(await sorted('image -org:openai'), ['ssl', 'vit']);
    assert.deepEqual(await sorted('image year:2026'), ['gpt4']);
    assert.deepEqual(await sorted('diffusion since:2025-05-10'), ['survey']);
    assert.deepEqual(await sorted('diffusion until:2025-05'), ['diffusion']);
  });

  test('explicit filters combine with those in the query', async () => {
    const { hits } = await index.search(db.kysely, 'image', 10, { filter: { categories: ['cs.CV'], until: '2025-12-31' } });
    assert.deepEqual(hits.map((h) => nameOf(h.id)).sort(), ['diffusion', 'ssl', 'vit']);
  });

  test('long queries rank by any word, stopwords dropped, best match first', async () => {
    const sentence = 'how do denoising diffusion models compare with generative adversarial networks when it comes to the synthesis of images';
    assert.equal((await names(sentence))[0], 'diffusion');
    assert.equal((await names('the attention is all you need'))[0], 'attention');
    const abstract = 'We train vision transformers such as ViT-B/16 on image classification benchmarks and study how they scale with data and model size.';
    assert.equal((await names(abstract))[0], 'vit');
  });

  test('a short query no paper fully matches falls back to partial matches, marked as such', async () => {
    const { hits } = await index.search(db.kysely, 'diffusion quantum', 10);
    assert.deepEqual(hits.map((h) => nameOf(h.id)), ['survey', 'diffusion'], 'the survey has "diffusion" twice');
    assert.ok(hits.every((h) => h.partial));
    const { hits: full } = await index.search(db.kysely, 'diffusion models image', 10);
    assert.deepEqual(full.map((h) => nameOf(h.id)), ['diffusion'], 'one full match: no partial ones');
    assert.equal(full[0].partial, undefined);
  });

  test('limit and offset page through the ranking', async () => {
    const { hits: all } = await index.search(db.kysely, 'image', 10);
    const { hits: second } = await index.search(db.kysely, 'image', 2, { offset: 2 });
    assert.deepEqual(second.map((h) => h.id), all.slice(2, 4).map((h) => h.id));
  });

  test('queries of only punctuation, operators or stopwords are safe', async () => {
    for (const q of ['', '   ', '"', '-', '***', 'AND OR NOT', 'author:', ')(', '"unclosed phrase', "O'Reilly; DROP TABLE papers; --"]) {
      await index.search(db.kysely, q, 5);
    }
    assert.deepEqual((await names('NOT diffusion')).sort(), ['diffusion', 'survey'], 'FTS operators are plain words');
  });

  test('replace() re-indexes changed text', async () => {
    await index.replace(db.kysely, [{ paperId: ids.attention, title: 'Quantum attention', abstract: 'Qubits attend.', authors: 'Ashish Vaswani' }]);
    assert.deepEqual(await names('qubits'), ['attention']);
    assert.deepEqual(await names('recurrence'), []);
  });
});

describeEachDatabase('keyword index: long queries through the term index', (open) => {
  let db: Db;
  let index: KeywordIndex;
  let nameOf: (id: number) => string;
  before(async () => {
    db = await open();
    index = keywordIndexFor(db.dialect);
    ({ nameOf } = await loadSearchCorpus(db));
    termIndex = await termIndexFor(db).ready();
  });
  after(async () => db?.close());

  let termIndex: TermIndex;
  const names = async (query: string, limit = 10) => (await index.search(db.kysely, query, limit, { termIndex })).hits.map((h) => nameOf(h.id));

  test('long queries rank by BM25 over title and abstract, the same on both databases', async () => {
    const sentence = 'how do denoising diffusion models compare with generative adversarial networks when it comes to the synthesis of images';
    assert.equal((await names(sentence))[0], 'diffusion');
    assert.equal((await names('a survey that reviews the many applications of diffusion models'))[0], 'survey');
    assert.equal((await names('we train vision transformers such as ViT-B/16 on image classification benchmarks'))[0], 'vit');
  });

  test('filters and exclusions apply to term-index results', async () => {
    const q = 'diffusion models for image synthesis and their applications reviewed in this survey';
    assert.deepEqual(await names(`${q} -survey`), (await names(q)).filter((n) => n !== 'survey'));
    assert.deepEqual((await names(`${q} cat:cs.CV`)).sort(), ['diffusion', 'ssl', 'vit']);
    assert.deepEqual(await names(`${q} since:2026-02`), ['bayes'], 'the one paper since February 2026 shares "reviews"');
  });

  test('hyphenated and slashed words are answered by the term index with the database index\'s meaning', async () => {
    for (const q of ['self-supervised', 'self-supervised speech', 'selfsupervised', 'GPT-4', 'gpt-4 report', 'ViT-B/16', 'vit-b16 image']) {
      const byTerms = await index.search(db.kysely, q, 10, { termIndex });
      const byDatabase = await index.search(db.kysely, q, 10);
      assert.equal(byTerms.total, byTerms.hits.length, `${q}: counted by the term index`);
      assert.deepEqual(byTerms.hits.map((h) => nameOf(h.id)).sort(), byDatabase.hits.map((h) => nameOf(h.id)).sort(), q);
    }
  });

  test('a quoted phrase in a long query goes to the database index, which checks it', async () => {
    assert.deepEqual(await names('"image synthesis" with denoising models that beat adversarial networks on benchmarks'), ['diffusion']);
  });
});

test('a pasted abstract ranks fewer clauses where each is ranked by a call of its own (PostgreSQL)', () => {
  // 40 clauses in 10,000 of 75,000 papers each: FTS5's bm25 pays for postings, ts_rank for matches × clauses.
  const clauses = Array.from({ length: 40 }, (_, i) => ({ df: 10_000, word: `w${i}` }));
  assert.equal(orClausesToRank(clauses, 75_000, false).length, 15, 'the postings budget');
  assert.equal(orClausesToRank(clauses, 75_000, true).length, 6, 'the rank-call budget, never below six clauses');
  assert.deepEqual(orClausesToRank([{ df: 5 }, { df: 0 }, { df: 2 }], 75_000, true).map((c) => c.df), [2, 5], 'rarest first, absent words dropped');
});
