import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bibtex } from '../../papers/bibtex.ts';
import type { Paper } from '../../papers/paper.ts';
import { highlightRuns } from './highlight.tsx';
import { renderMath, splitMath } from './math.ts';

test('only $...$ and $$...$$ are math; prices, escaped dollars and lone dollars stay text', () => {
  assert.deepEqual(splitMath('costs $5 or $10, and \\$x is text'), [{ text: 'costs $5 or $10, and \\$x is text' }]);
  assert.deepEqual(splitMath('a $x^2$ b $$\\int f$$'), [
    { text: 'a ' },
    { tex: 'x^2', display: false, source: '$x^2$' },
    { text: ' b ' },
    { tex: '\\int f', display: true, source: '$$\\int f$$' },
  ]);
});

test('text around math is escaped, math is KaTeX markup, and TeX that does not parse falls back to escaped text', () => {
  const html = renderMath('<b>bold</b> $x<y$ and $\\frac{a$ & $\\href{javascript:alert(1)}{x}$');
  assert.match(html, /^&lt;b&gt;bold&lt;\/b&gt; <span class="katex">/);
  assert.match(html, /<mo>&lt;<\/mo>/);
  assert.match(html, / and \$\\frac\{a\$ &amp; /);
  assert.doesNotMatch(html, /<b>|href="javascript/);
});

test('highlighting marks words that start with a query term or its stem, and only those', () => {
  assert.deepEqual(highlightRuns('Diffusion models, diffuse <model>', ['diffusion', 'models']), [
    { text: 'Diffusion', match: true },
    { text: ' ', match: false },
    { text: 'models', match: true },
    { text: ', ', match: false },
    // The crude stem ("diffus") marks what the stemmed index matched too.
    { text: 'diffuse', match: true },
    { text: ' <', match: false },
    { text: 'model', match: true },
    { text: '>', match: false },
  ]);
  assert.deepEqual(highlightRuns('a.*b', ['.*']), [{ text: 'a.*b', match: false }]);
});

test('BibTeX: a stable key, arXiv eprint fields, and no braces from the data', () => {
  const paper = {
    id: 1, arxivId: '1706.03762', version: 7, doi: null, title: 'Attention Is All You {Need}', abstract: '', authors: [{ id: 1, name: 'Ashish Vaswani' }, { id: 2, name: 'Noam Shazeer' }],
    authorCount: null, categories: ['cs.CL'], primaryCategory: 'cs.CL', publishedAt: '2017-06-12T17:57:34Z', updatedAt: null, announcedOn: '2017-06-13',
    comment: null, journalRef: null, organization: null, upvotes: 0, hotness: 0, links: { abs: null, pdf: null, code: null, project: null }, provenance: {},
  } satisfies Paper;
  assert.equal(
    bibtex(paper),
    '@misc{vaswani2017attention,\n  title = {{Attention Is All You Need}},\n  author = {Ashish Vaswani and Noam Shazeer},\n  year = {2017},\n  eprint = {1706.03762},\n  archivePrefix = {arXiv},\n  primaryClass = {cs.CL},\n  url = {https://arxiv.org/abs/1706.03762}\n}',
  );
});
