/**
 * Titles and abstracts as HTML: formulas typeset by KaTeX, `\textbf`/`\emph`/… as elements, `\url`,
 * `\href` and bare URLs as nofollow links (http(s) only), everything else escaped text. The TeX is read
 * by papers/markup.ts, the same reading the text-only places use. Search terms are marked in the text,
 * and around a formula whose text matches.
 */
import { raw } from 'hono/html';
import { latexToText, mathToText } from '../../papers/latex-text.ts';
import { EXCERPT_CHARS, excerpt } from '../../papers/paper-text.ts';
import { hasFormula, parseMarkup, type MarkupNode } from '../../papers/markup.ts';
import { escapeHtml } from './escape.ts';
import { highlightRuns } from './highlight.tsx';
import { BoundedCache, typesetMath } from './math.ts';

/** How a text is shown. */
export interface MarkupOptions {
  /** Query words to mark. */
  terms?: string[];
  /** A title: no links (the title is itself one, or a heading), formulas inline. */
  title?: boolean;
}

const trees = new BoundedCache<MarkupNode[]>(8_000_000, (_, source) => source.length * 2);
// Rendered HTML of titles and paragraphs as most pages show them (without search terms).
const rendered = new BoundedCache<string>(24_000_000, (html) => html.length);

const tree = (source: string) => trees.get(source, () => parseMarkup(source));
const formulaTexts = new BoundedCache<string>(2_000_000, (text, tex) => text.length + tex.length);
const formulaText = (tex: string) => formulaTexts.get(tex, () => mathToText(tex));

function html(nodes: MarkupNode[], options: MarkupOptions, inLink = false): string {
  const { terms, title } = options;
  const marks = (text: string) => highlightRuns(text, terms).some((r) => r.match);
  let out = '';
  for (const node of nodes) {
    if ('text' in node) {
      out += terms?.length ? highlightRuns(node.text, terms).map((r) => (r.match ? `<mark>${escapeHtml(r.text)}</mark>` : escapeHtml(r.text))).join('') : escapeHtml(node.text);
    } else if ('tex' in node) {
      const typeset = typesetMath(node.tex, node.display && !title) ?? escapeHtml(node.source);
      out += terms?.length && marks(formulaText(node.tex)) ? `<mark>${typeset}</mark>` : typeset;
    } else if ('tag' in node) {
      out += `<${node.tag}>${html(node.children, options, inLink)}</${node.tag}>`;
    } else {
      // No link inside a link: `\href{u}{u}` would otherwise nest the bare URL of its text.
      const inner = html(node.children, options, true);
      out += title || inLink ? inner : `<a href="${escapeHtml(node.href)}" rel="nofollow noopener">${inner}</a>`;
    }
  }
  return out;
}

/** The HTML of a title or a paragraph; safe to insert as it is (every text escaped, KaTeX run untrusted). */
export function markupHtml(source: string, options: MarkupOptions = {}): string {
  if (options.terms?.length) return html(tree(source), options);
  return rendered.get(`${options.title ? 'T' : 'P'}${source}`, () => html(tree(source), options));
}

const texts = new BoundedCache<string>(8_000_000, (text, source) => text.length + source.length);

/** A title or abstract as Unicode text (papers/latex-text.ts), kept: list pages show the same excerpts on every request. */
export function plainText(source: string): string {
  return texts.get(source, () => latexToText(source));
}

const TEX_TRIGGER = /[$\\{~]|``|''/;

/**
 * A list card's excerpt of an abstract as text: `excerpt(plainText(source))`, without the conversion (and
 * the cache lookup, which hashes the whole abstract) when the excerpt's part has no TeX — nine abstracts in
 * ten: plain text then comes out as it went in, so the excerpt of the source is the same.
 */
export function abstractExcerpt(source: string, maxChars = EXCERPT_CHARS): string {
  // Two characters past the cut: excerpt() looks one past it, and a `''` may straddle it.
  if (!TEX_TRIGGER.test(source.slice(0, maxChars + 2))) return excerpt(source, maxChars);
  return excerpt(plainText(source), maxChars);
}

/** Whether a text shows a typeset formula (its page then needs KaTeX's stylesheet and inline styles). */
export function hasTypesetMath(source: string): boolean {
  return /[$\\]/.test(source) && hasFormula(tree(source));
}

/** Whether any of these papers' titles shows a typeset formula. */
export function titlesHaveMath(papers: { title: string }[]): boolean {
  return papers.some((p) => hasTypesetMath(p.title));
}

/** A title or paragraph in JSX. */
export function Markup({ text, terms, title }: { text: string } & MarkupOptions) {
  return raw(markupHtml(text, { terms, title }));
}
