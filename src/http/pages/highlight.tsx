/** Search matches highlighted in text: the text stays text (escaped by JSX), matches are wrapped in <mark>. */
import { fold } from '../../search/tokenize.ts';

/** One piece of highlighted text. */
export interface Run {
  text: string;
  match: boolean;
}

// A results page highlights thirty titles and excerpts with the same terms: prepare their prefixes once.
const prepared = new Map<string, string[]>();
function prefixes(terms: string[]): string[] {
  const key = terms.join('\n');
  let out = prepared.get(key);
  if (!out) {
    if (prepared.size >= 100) prepared.clear();
    // A crude stem, so "models" also marks "model" and "diffusion" marks "diffuse", as the stemmed index matched them.
    out = terms.filter((t) => /^[\p{L}\p{N}]+$/u.test(t)).map((t) => fold(t.length > 4 ? t.replace(/(ing|ions?|ed|es|s)$/, '') : t));
    prepared.set(key, out);
  }
  return out;
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Splits text into runs, marking the words that start with a query term (after folding case and accents),
 * the way a stemmed index matches them. Words are scanned once and compared by prefix: a pattern of the
 * terms with Unicode look-behind cost 1–2 ms per results page.
 */
export function highlightRuns(text: string, terms: string[] | undefined): Run[] {
  const starts = prefixes(terms ?? []);
  if (starts.length === 0) return [{ text, match: false }];
  const runs: Run[] = [];
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    const word = fold(m[0]);
    if (!starts.some((s) => word.startsWith(s))) continue;
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
