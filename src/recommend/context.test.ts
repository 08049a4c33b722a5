import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vocabularyFromJson, vocabularyIdOf, vocabularyTerms, vocabularyToJson } from './context.ts';
import { ARXIV_SANITY_TFIDF, fitVocabulary, vocabularyOptions } from './tfidf.ts';

const texts = Array.from({ length: 400 }, (_, i) => `gaussian splatting ${i % 7 === 0 ? 'zeroshot' : 'diffusion'} sampler${i % 50} with topic${i % 3} words rare${i} pair${i >> 1}`);

test('a stored vocabulary comes back with the same terms, idf and id', () => {
  const v = fitVocabulary(texts, vocabularyOptions(texts.length));
  const back = vocabularyFromJson(JSON.parse(JSON.stringify(vocabularyToJson(v))));
  assert.deepEqual(back.terms, v.terms);
  assert.deepEqual(Array.from(back.idf), Array.from(v.idf));
  assert.equal(back.documents, v.documents);
  assert.equal(vocabularyIdOf(back), vocabularyIdOf(v));
  assert.deepEqual(vocabularyTerms(vocabularyToJson(v)), v.terms);
  assert.deepEqual(vocabularyTerms(vocabularyToJson(fitVocabulary([], vocabularyOptions(0)))), []);
});

test("Paperboy's vocabulary keeps the rare terms arxiv-sanity's df ≥ 5 drops, and a small store keeps words seen once", () => {
  const v = fitVocabulary(texts, vocabularyOptions(texts.length));
  assert.ok(v.index.has('pair7'), 'df 2: kept');
  assert.ok(!fitVocabulary(texts, ARXIV_SANITY_TFIDF).index.has('pair7'), 'arxiv-sanity drops it');
  assert.ok(!v.index.has('rare5'), 'df 1 in a store of 400: dropped');
  const small = fitVocabulary(texts.slice(0, 40), vocabularyOptions(40));
  assert.ok(small.index.has('rare5'), 'df 1 in a store of 40: kept');
});
