/** Search matches highlighted in text: the text stays text (escaped by JSX), matches are wrapped in <mark>. */

// A results page highlights thirty titles and excerpts with the same terms: compile their pattern once.
const patterns = new Map<string, RegExp>();
function compiled(alternatives: string): RegExp {
  let pattern = patterns.get(alternatives);
  if (!pattern) {
    if (patterns.size >= 100) patterns.clear();
    patterns.set(alternatives, (pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})[\\p{L}\\p{N}]*`, 'giu')));
  }
  return pattern;
}

/**
 * Splits text into runs, marking words that start with a query term ("diffusion" for "diffus"), the
 * way a stemmed index matches them. Terms are plain letters and digits, so they are safe in a pattern.
 */
export function highlightRuns(text: string, terms: string[] | undefined): { text: string; match: boolean }[] {
  // A crude stem, so "models" also marks "model" as the stemmed index matched it.
  const words = (terms ?? []).filter((t) => /^[\p{L}\p{N}]+$/u.test(t)).map((t) => (t.length > 4 ? t.replace(/(ing|ions?|ed|es|s)$/, '') : t));
  if (words.length === 0) return [{ text, match: false }];
  const pattern = compiled(words.join('|'));
  const runs: { text: string; match: boolean }[] = [];
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) runs.push({ text: text.slice(last, m.index), match: false });
    runs.push({ text: m[0], match: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), match: false });
  return runs;
}

/** Text with the query's words marked. */
export function Highlight({ text, terms }: { text: string; terms?: string[] }) {
  if (!terms?.length) return <>{text}</>;
  return <>{highlightRuns(text, terms).map((r) => (r.match ? <mark>{r.text}</mark> : r.text))}</>;
}
