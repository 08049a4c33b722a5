/** Plain-text summaries of a paper that pages and mails both show: the author line and an excerpt. No markup. */
import type { Paper } from './paper.ts';

/** "A, B, C et al." for lists, "12 authors" when only the count is known, undefined when nothing is. */
export function authorSummary(paper: Pick<Paper, 'authors' | 'authorCount'>, shown = 4): string | undefined {
  const names = paper.authors.map((a) => a.name);
  const total = Math.max(names.length, paper.authorCount ?? 0);
  if (names.length === 0) return total > 0 ? `${total} ${total === 1 ? 'author' : 'authors'}` : undefined;
  const head = names.slice(0, shown).join(', ');
  return total > shown || total > names.length ? `${head} et al.` : head;
}

/** How long an excerpt is at most, in characters. */
export const EXCERPT_CHARS = 300;

/** The start of a text, cut at a word boundary; the list view clamps it to two lines in CSS as well. */
export function excerpt(text: string, maxChars = EXCERPT_CHARS): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars * 0.6 ? cut.slice(0, space) : cut).replace(/[\s.,;:]+$/, '')}…`;
}
