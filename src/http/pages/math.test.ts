import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMarkup } from '../../papers/markup.ts';
import { highlightRuns } from './highlight.tsx';
import { BoundedCache, typesetMath } from './math.ts';

test('only $...$, $$...$$, \\(...\\) and \\[...\\] are math; prices, escaped dollars and lone dollars stay text', () => {
  assert.deepEqual(parseMarkup('costs $5 or $10, and \\$x is text'), [{ text: 'costs $5 or $10, and $x is text' }]);
  assert.deepEqual(parseMarkup('a $x^2$ b $$\\int f$$ c \\(y\\)'), [
    { text: 'a ' },
    { tex: 'x^2', display: false, source: '$x^2$' },
    { text: ' b ' },
    { tex: '\\int f', display: true, source: '$$\\int f$$' },
    { text: ' c ' },
    { tex: 'y', display: false, source: '\\(y\\)' },
  ]);
  // A command makes it TeX however it is spaced, and even with a digit after it: "($\times$4)".
  assert.deepEqual(parseMarkup('($\\times$4)'), [{ text: '(' }, { tex: '\\times', display: false, source: '$\\times$' }, { text: '4)' }]);
});

test('a formula is KaTeX markup, untrusted: TeX that does not parse is undefined, \\href inside a formula is inert', () => {
  assert.match(typesetMath('x<y', false)!, /^<span class="katex">.*<mo>&lt;<\/mo>/);
  assert.match(typesetMath('\\sum_i x_i', true)!, /class="katex-display"/);
  assert.equal(typesetMath('\\frac{a', false), undefined);
  assert.doesNotMatch(typesetMath('x \\href{javascript:alert(1)}{y}', false) ?? '', /<a |href="/);
  assert.equal(typesetMath('x^2', false), typesetMath('x^2', false));
  // What KaTeX would refuse but an abstract means plainly: MathJax's \unicode, a percent sign.
  assert.match(typesetMath('a\\unicode{x2013}b', false)!, /<mtext>–<\/mtext>|–/);
  assert.match(typesetMath('\\textbf{16.3%}', false)!, /16\.3%/);
});

test('the cache keeps what was used last, within its size', () => {
  const cache = new BoundedCache<string>(10, (v) => v.length);
  let made = 0;
  const get = (key: string) => cache.get(key, () => (made++, key.repeat(4)));
  get('a');
  get('b');
  get('a'); // used again, so "b" is the oldest
  get('c');
  assert.equal(made, 3);
  get('a');
  assert.equal(made, 3);
  get('b');
  assert.equal(made, 4);
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
