import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateBound, mergeFilters, parseQuery } from './query.ts';

const clauses = (q: string) => parseQuery(q).clauses.map((c) => (c.quoted ? `"${c.words.join(' ')}"` : c.words.join('+')));

test('plain words are folded, stopwords dropped, repeats merged', () => {
  assert.deepEqual(clauses('The Diffusion of diffusion MODELS'), ['diffusion', 'models']);
  assert.deepEqual(clauses('Naïve café'), ['naive', 'cafe']);
  assert.deepEqual(clauses('the of and'), ['the', 'of', 'and'], 'only stopwords: kept rather than matching nothing');
});

test('hyphenated, slashed and dotted terms become one clause of several words', () => {
  assert.deepEqual(clauses('self-supervised GPT-4 ViT-B/16 gpt-3.5'), ['self+supervised', 'gpt+4', 'vit+b+16', 'gpt+3+5']);
});

test('"phrases" keep their stopwords and order; an unclosed quote runs to the end', () => {
  assert.deepEqual(clauses('"attention is all you need" transformer'), ['"attention is all you need"', 'transformer']);
  assert.deepEqual(clauses('"masked autoencoders'), ['"masked autoencoders"']);
});

test('-word and -"phrase" are exclusions', () => {
  const p = parseQuery('diffusion -survey -"position paper"');
  assert.deepEqual(p.clauses.map((c) => c.raw), ['diffusion']);
  assert.deepEqual(p.excluded.map((c) => c.words), [['survey'], ['position', 'paper']]);
  assert.equal(p.text, 'diffusion');
});

test('field filters, quoted values and negation', () => {
  const p = parseQuery('retrieval author:"Yann LeCun" au:hinton -author:smith cat:cs.CL -cat:cs.CV org:meta -org:"Open AI"');
  assert.deepEqual(p.filters, {
    authors: ['Yann LeCun', 'hinton'],
    excludeAuthors: ['smith'],
    categories: ['cs.CL'],
    excludeCategories: ['cs.CV'],
    organizations: ['meta'],
    excludeOrganizations: ['Open AI'],
  });
  assert.deepEqual(p.clauses.map((c) => c.raw), ['retrieval']);
  assert.equal(p.text, 'retrieval');
});

test('year:, since:, until: become inclusive day bounds; the narrowest wins', () => {
  assert.deepEqual(parseQuery('year:2025').filters, { since: '2025-01-01', until: '2025-12-31' });
  assert.deepEqual(parseQuery('since:2025-06 until:2026-02').filters, { since: '2025-06-01', until: '2026-02-28' });
  assert.deepEqual(parseQuery('year:2025 since:2025-03-15').filters, { since: '2025-03-15', until: '2025-12-31' });
  const bad = parseQuery('llm year:soon since:2025-13');
  assert.deepEqual(bad.filters, {});
  assert.equal(bad.warnings.length, 2);
  assert.deepEqual(bad.clauses.map((c) => c.raw), ['llm']);
});

test('unknown prefixes are text, not operators', () => {
  assert.deepEqual(clauses('arXiv:2401.01234 e.g.: foo'), ['arxiv+2401+01234', 'e+g', 'foo']);
});

test('dateBound handles months of every length and rejects impossible days', () => {
  assert.equal(dateBound('2024-02', 'end'), '2024-02-29');
  assert.equal(dateBound('2025-2-3', 'start'), '2025-02-03');
  assert.equal(dateBound('2025-02-30', 'start'), undefined);
  assert.equal(dateBound('25', 'start'), undefined);
});

test('mergeFilters unions lists and keeps the narrowest date range', () => {
  assert.deepEqual(mergeFilters({ categories: ['cs.LG'], since: '2025-01-01' }, { categories: ['cs.LG', 'cs.CL'], since: '2025-06-01', until: '2026-01-01' }), {
    categories: ['cs.LG', 'cs.CL'],
    since: '2025-06-01',
    until: '2026-01-01',
  });
});

test('title: and abstract: make field clauses; an unknown operator is text with a warning', () => {
  const p = parseQuery('title:diffusion abstract:"image synthesis" -ti:survey');
  assert.deepEqual(p.clauses.map((c) => [c.field, c.words.join(' '), c.quoted]), [['title', 'diffusion', false], ['abstract', 'image synthesis', true]]);
  assert.deepEqual(p.excluded.map((c) => [c.field, c.words.join(' ')]), [['title', 'survey']]);
  assert.deepEqual(p.warnings, []);
  const unknown = parseQuery('venue:neurips transformers');
  assert.deepEqual(unknown.clauses.map((c) => c.words.join('+')), ['venue+neurips', 'transformers']);
  assert.match(unknown.warnings[0], /venue: is not an operator/);
  assert.deepEqual(parseQuery('arXiv:2401.01234 doi:10.1/x').warnings, [], 'ids are text, not mistyped operators');
});
