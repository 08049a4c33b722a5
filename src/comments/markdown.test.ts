import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_FORMULAS, MAX_MATH_HTML, renderCommentMarkdown } from './markdown.ts';

const html = (source: string) => renderCommentMarkdown(source).html;
/** Every attribute of every element in the output, as `tag attr=value`. */
const attributes = (out: string) => [...out.matchAll(/<([a-z][a-z0-9-]*)\b([^>]*)>/gi)].flatMap((m) => [...m[2].matchAll(/([^\s=]+)\s*=\s*"([^"]*)"/g)].map((a) => `${m[1]} ${a[1]}=${a[2]}`));

test('Markdown: emphasis, code, lists, quotes and http(s) links (nofollow, ugc)', () => {
  assert.equal(html('Some *emphasis* and `code`.'), '<p>Some <em>emphasis</em> and <code>code</code>.</p>\n');
  assert.match(html('- one\n- two'), /<ul>\n<li>one<\/li>\n<li>two<\/li>\n<\/ul>/);
  assert.match(html('> quoted'), /<blockquote>\n<p>quoted<\/p>\n<\/blockquote>/);
  assert.equal(html('[arXiv](https://arxiv.org/abs/2401.01234)'), '<p><a href="https://arxiv.org/abs/2401.01234" rel="nofollow noopener noreferrer ugc">arXiv</a></p>\n');
  assert.match(html('see https://example.org/x'), /<a href="https:\/\/example.org\/x" rel="nofollow noopener noreferrer ugc">/);
});

test('raw HTML never passes: <script>, onerror= and friends are text', () => {
  for (const attack of ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>', '<svg onload=alert(1)>', '<iframe src="https://evil.example"></iframe>']) {
    const out = html(attack);
    assert.doesNotMatch(out, /<(script|img|svg|iframe)\b/i, attack);
    assert.ok(out.includes('&lt;'), `${attack} is shown as text`);
    // At most the bare https URL inside the text is a link (linkify); no other attribute exists.
    for (const a of attributes(out)) assert.match(a, /^a (href=https:\/\/|rel=nofollow)/, attack);
  }
});

test('links: javascript:, data:, vbscript: and entity-encoded schemes never become a link', () => {
  for (const link of ['[x](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))', '[x](&#106;avascript:alert(1))', '[x](java\nscript:alert(1))', '<javascript:alert(1)>', '[x](data:text/html;base64,PHNjcmlwdD4=)', '[x](vbscript:msgbox)', '[x]( javascript:alert(1))']) {
    const out = html(link);
    for (const a of attributes(out)) assert.doesNotMatch(a, /href=(?!https?:)/i, link);
    assert.doesNotMatch(out, /href="(?!https?:)/i, link);
  }
});

test('images are not loaded: ![…](…) stays text', () => {
  assert.doesNotMatch(html('![tracker](https://evil.example/pixel.png)'), /<img/);
});

test('math: $…$ and $$…$$ typeset by KaTeX on the server; \\href{javascript:…} inside math is inert', () => {
  const inline = renderCommentMarkdown('Energy $E = mc^2$ here.');
  assert.equal(inline.math, true);
  assert.match(inline.html, /<span class="katex">/);
  assert.match(inline.html, /<annotation encoding="application\/x-tex">E = mc\^2<\/annotation>/);
  assert.match(html('$$\\int_0^1 x\\,dx$$'), /class="katex-display"/);
  for (const source of ['$\\href{javascript:alert(1)}{click}$', '$$\\href{javascript:alert(1)}{x}$$', '$\\url{javascript:alert(1)}$', '$\\htmlClass{x}{y}$']) {
    const out = html(source);
    assert.doesNotMatch(out, /<a\b/, source);
    assert.doesNotMatch(out, /href=/, source);
  }
  assert.equal(renderCommentMarkdown('No math, \\$5 and `$x$`.').math, false);
});

test('a formula KaTeX cannot read is shown as written; past the limit formulas stay text', () => {
  assert.match(html('$\\frac{1}{$ ok'), /<code class="math-error">/);
  const many = Array.from({ length: MAX_FORMULAS + 3 }, (_, i) => `$x_${i}$`).join(' ');
  const out = html(many);
  assert.equal(out.match(/<span class="katex">/g)?.length, MAX_FORMULAS);
});

test('typeset math is bounded per comment: past its budget the rest stays as written (a page of heavy comments stays small)', () => {
  const heavy = Array.from({ length: 25 }, (_, k) => `$\\sum_{j=1}^{${k}} \\frac{\\alpha_{${k}}^{2}}{\\sqrt{\\beta_j}} \\int_0^\\infty e^{-x^2} dx$`).join(' and ');
  const out = html(heavy);
  const typeset = out.match(/<span class="katex">/g)?.length ?? 0;
  assert.ok(typeset > 0 && typeset < 25, `${typeset} typeset`);
  assert.ok(out.length < MAX_MATH_HTML + heavy.length * 2, `${out.length} characters`);
  assert.match(out, /\$\\sum_\{j=1\}\^\{24\}/, 'the last formula as written');
});

test('the same source always renders the same HTML (rendering is cached, never per reader)', () => {
  assert.equal(html('**same** $x$'), html('**same** $x$'));
});
