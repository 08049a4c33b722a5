import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { IMPORT_LIMITS, parseReferences, ReferenceFileError } from './references.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/references/${name}`, import.meta.url), 'utf8');
const keys = (entries: ReturnType<typeof parseReferences>['entries']) => entries.map((e) => ({ arxivId: e.arxivId, doi: e.doi, titles: e.titleKeys[0] }));

test('BibTeX: arXiv ids from eprint, url and "arXiv preprint" journals; DOIs lower-cased; TeX titles read', () => {
  const parsed = parseReferences(fixture('reading-group.bib'), 'reading-group.bib');
  assert.equal(parsed.format, 'bibtex');
  assert.deepEqual(keys(parsed.entries), [
    { arxivId: '2607.00001', doi: undefined, titles: 'paper 1 on graph learning' },
    { arxivId: undefined, doi: '10.5555/sparse.2026.42', titles: 'sparse graphs at scale' },
    { arxivId: undefined, doi: undefined, titles: 'diffusion models for protein design 3' },
    { arxivId: '2206.06921', doi: undefined, titles: 'attainable forms of assouad spectra' },
    { arxivId: undefined, doi: undefined, titles: 'a book nobody here has read' },
  ]);
  assert.equal(parsed.entries[2].label, 'Diffusion Models for Protein Design 3', 'braces and \\emph unwrapped for the reader');
  assert.deepEqual(parsed.problems, []);
});

test('BibTeX: one broken entry is reported with its line, the others still read', () => {
  const text = '@article{ok1, title={First}}\n\n@article{broken, title={Never closed\n\n@misc{ok2, title="Second", eprint={hep-th/9901001v2}}\n';
  const parsed = parseReferences(text, 'x.bib');
  assert.deepEqual(parsed.entries.map((e) => e.label), ['First', 'Second']);
  assert.equal(parsed.entries[1].arxivId, 'hep-th/9901001');
  assert.equal(parsed.problems.length, 1);
  assert.match(parsed.problems[0], /line 3/);
});

test('RIS: tags, continuation lines, DOI resolver links and arXiv abs URLs', () => {
  const parsed = parseReferences(fixture('reading-group.ris'), 'reading-group.ris');
  assert.equal(parsed.format, 'ris');
  assert.deepEqual(keys(parsed.entries), [
    { arxivId: '2607.00002', doi: undefined, titles: 'paper 2 on graph learning' },
    { arxivId: undefined, doi: '10.5555/sparse.2026.42', titles: 'sparse graphs at scale' },
    { arxivId: undefined, doi: undefined, titles: 'diffusion models for protein design 3' },
    { arxivId: undefined, doi: undefined, titles: 'a book nobody here has read' },
  ]);
});

test('CSL-JSON: URL and number give arXiv ids, an arXiv DOI (10.48550) is an arXiv id, an item with nothing is kept as unmatched', () => {
  const parsed = parseReferences(fixture('reading-group.json'), 'reading-group.json');
  assert.equal(parsed.format, 'csl-json');
  assert.deepEqual(keys(parsed.entries), [
    { arxivId: '2607.00004', doi: undefined, titles: 'paper 4 on graph learning' },
    { arxivId: undefined, doi: '10.5555/sparse.2026.42', titles: 'sparse graphs at scale' },
    { arxivId: undefined, doi: undefined, titles: 'diffusion models for protein design 3' },
    { arxivId: '2206.06921', doi: '10.48550/arxiv.2206.06921', titles: 'attainable forms of assouad spectra' },
    { arxivId: undefined, doi: undefined, titles: undefined },
  ]);
  assert.equal(parsed.entries[4].label, 'empty');
});

test('limits and bad files: too many entries, too many bytes, not a reference file at all, invalid JSON', () => {
  const many = Array.from({ length: IMPORT_LIMITS.entries + 1 }, (_, i) => `@misc{k${i}, title={T${i}}}`).join('\n');
  assert.throws(() => parseReferences(many, 'many.bib'), (e: Error) => e instanceof ReferenceFileError && /at most 500 entries/.test(e.message));
  assert.throws(() => parseReferences('x'.repeat(IMPORT_LIMITS.bytes + 1), 'big.bib'), (e: Error) => e instanceof ReferenceFileError && /at most 1 MB/.test(e.message));
  assert.throws(() => parseReferences('just some words', 'notes.txt'), (e: Error) => e instanceof ReferenceFileError && /BibTeX, RIS or CSL-JSON/.test(e.message));
  assert.throws(() => parseReferences('[{"title": 3}', 'x.json'), (e: Error) => e instanceof ReferenceFileError && /JSON/.test(e.message));
  assert.throws(() => parseReferences('[{"title": 3}]', 'x.json'), (e: Error) => e instanceof ReferenceFileError && /item 1/.test(e.message));
});

test('text from a file is never trusted: control characters are dropped and long titles cut', () => {
  const parsed = parseReferences(`@misc{k, title={Bad\u0007 title ${'x'.repeat(3000)}}}`, 'x.bib');
  assert.ok(!parsed.entries[0].label.includes('\u0007'));
  assert.ok(parsed.entries[0].label.length <= 500);
});
