import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excerpt } from '../../papers/paper-text.ts';
import { abstractExcerpt, hasTypesetMath, markupHtml, plainText } from './markup.ts';

const LINK = (href: string, text: string) => `<a href="${href}" rel="nofollow noopener">${text}</a>`;

test('\\textbf, \\textit, \\emph, \\texttt and {\\bf ...} become bold, italic and code; text escapes become characters', () => {
  assert.equal(
    markupHtml('We gain \\textbf{12\\%} on \\emph{two} sets \\& \\textit{three}, {\\bf four} with \\texttt{a\\_b} <b>x</b>'),
    'We gain <b>12%</b> on <em>two</em> sets &amp; <i>three</i>, <b>four</b> with <code>a_b</code> &lt;b&gt;x&lt;/b&gt;',
  );
});

test('\\url, \\href and bare URLs become nofollow links, http(s) only; anything else stays inert text', () => {
  assert.equal(markupHtml('Code: \\url{https://github.com/a/b\\_c}.'), `Code: ${LINK('https://github.com/a/b_c', 'https://github.com/a/b_c')}.`);
  assert.equal(markupHtml('See \\href{https://x.org/?a=1&b=2}{\\textbf{our} site}.'), `See ${LINK('https://x.org/?a=1&amp;b=2', '<b>our</b> site')}.`);
  assert.equal(markupHtml('At https://github.com/a/b. Or (https://en.wikipedia.org/wiki/A_(b)), ok'), `At ${LINK('https://github.com/a/b', 'https://github.com/a/b')}. Or (${LINK('https://en.wikipedia.org/wiki/A_(b)', 'https://en.wikipedia.org/wiki/A_(b)')}), ok`);
  // arXiv abstracts often wrap a whole link in $...$; it is a link, not a formula set in math italics.
  assert.equal(markupHtml('Code $\\href{https://a.org/x}{\\text{this https URL}}$.'), `Code ${LINK('https://a.org/x', 'this https URL')}.`);
  for (const hostile of ['\\href{javascript:alert(1)}{click}', '\\url{javascript:alert(1)}', 'javascript:alert(1)', '\\href{data:text/html,x}{click}', '$x \\href{javascript:alert(1)}{y}$', 'https://x.org/"onmouseover="alert(1)']) {
    const html = markupHtml(hostile);
    assert.doesNotMatch(html, /href="(?!https?:)|<a [^>]*on\w+=|"on/i, hostile);
  }
  assert.equal(markupHtml('\\href{javascript:alert(1)}{click}'), 'click');
  // A link's text that is itself a URL is not a second link inside the first.
  assert.equal(markupHtml('\\href{https://a.org/x}{https://a.org/x}'), LINK('https://a.org/x', 'https://a.org/x'));
});

test('titles: no links inside the title link, math typeset, search terms marked in text and around a formula that matches', () => {
  const html = markupHtml('$\\textit{Agents Under Siege}$: breaking agents at \\url{https://x.org}', { terms: ['siege', 'agents'], title: true });
  assert.match(html, /^<mark><span class="katex">/);
  assert.match(html, /<\/span><\/mark>: breaking <mark>agents<\/mark> at https:\/\/x\.org$/);
  assert.doesNotMatch(html, /<a /);
  assert.equal(markupHtml('Plain <title> & text', { terms: ['text'] }), 'Plain &lt;title&gt; &amp; <mark>text</mark>');
});

test('math that KaTeX cannot parse is shown as its escaped source; only real formulas count as math', () => {
  assert.equal(markupHtml('a broken $\\frac{a$ <b>'), 'a broken $\\frac{a$ &lt;b&gt;');
  assert.equal(hasTypesetMath('GSBAK$^K$'), true);
  assert.equal(hasTypesetMath('costs $5 or $10, \\textbf{bold}'), false);
  assert.equal(hasTypesetMath('$\\url{https://a.org}$'), false);
});

test("a card's abstract excerpt is the excerpt of the abstract as text, whether or not it skips the conversion", () => {
  const words = 'We study sparse attention for long inputs and show gains on many benchmarks. '.repeat(6);
  for (const source of [
    words,
    `${words}A formula after the cut: $\\alpha^2$ and \\emph{more}.`,
    `Early math $O(n \\log n)$ and ${words}`,
    `${'x'.repeat(299)}''quoted'' text ${words}`,
    "Short, with ``quotes'' and ~ a tilde.",
    'Short and plain.',
  ]) {
    assert.equal(abstractExcerpt(source), excerpt(plainText(source)), source.slice(0, 40));
  }
});
