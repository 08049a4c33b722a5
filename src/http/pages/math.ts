/**
 * LaTeX in abstracts, typeset on the server with KaTeX. Only `$...$` and `$$...$$` segments are math;
 * all other text is escaped, and a segment KaTeX cannot parse is shown as the escaped text it was.
 */
import katex from 'katex';
import { escapeHtml } from './escape.ts';

/** A piece of an abstract: plain text, or TeX to typeset inline or as a display formula. */
export type MathSegment = { text: string } | { tex: string; display: boolean; source: string };

// $$...$$ first, then $...$ within a line; `\$` is a literal dollar, never a delimiter. As in pandoc, an
// inline formula starts with a non-space after `$` and ends with a non-space before a `$` that no digit
// follows, so "costs $5 or $10" stays text.
const MATH = /\$\$((?:\\.|[^$\\])+?)\$\$|(?<!\\)\$(?=[^\s$])((?:\\.|[^$\\\n])+?)(?<=\S)\$(?!\d)/g;

/** Splits text into plain and math segments. */
export function splitMath(text: string): MathSegment[] {
  const segments: MathSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(MATH)) {
    const tex = (m[1] ?? m[2]).trim();
    if (!tex) continue;
    if (m.index > last) segments.push({ text: text.slice(last, m.index) });
    segments.push({ tex, display: m[1] !== undefined, source: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

const OPTIONS = {
  throwOnError: true,
  // No \href, \url, \includegraphics, \htmlClass...: imported TeX is untrusted.
  trust: false,
  strict: 'ignore' as const,
  maxSize: 20,
  maxExpand: 200,
  output: 'htmlAndMathml' as const,
};

/** Whether any segment of a text would be typeset (pages that show math need KaTeX's stylesheet). */
export function hasMath(text: string): boolean {
  return splitMath(text).some((s) => 'tex' in s);
}

const cache = new Map<string, string>();
const CACHE_SIZE = 2000;

/** HTML for a text with its math typeset: escaped text, KaTeX markup for each formula that parses. */
export function renderMath(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const html = splitMath(text)
    .map((s) => {
      if ('text' in s) return escapeHtml(s.text);
      try {
        return katex.renderToString(s.tex, { ...OPTIONS, displayMode: s.display });
      } catch {
        return escapeHtml(s.source);
      }
    })
    .join('');
  // A small FIFO is enough: a busy page's abstract stays, and memory stays bounded.
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(text, html);
  return html;
}
