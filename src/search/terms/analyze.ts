/**
 * How text becomes index terms, the same for the papers indexed and the queries searched (tokenize.ts
 * folds and splits; this module stems and adds compounds):
 * - content words (no stopwords), Porter-stemmed — the algorithm of FTS5's `porter` tokenizer;
 * - compounds: a hyphenated or slashed term is also indexed run together (`self-supervised` → also
 *   `selfsupervised`, `GPT-4` → `gpt4`, `ViT-B/16` → `vitb16`), so a query that writes it joined finds it.
 */
import { stemmer } from 'stemmer';
import { fold, STOPWORDS, words } from '../tokenize.ts';

const stems = new Map<string, string>();

/** The Porter stem of a folded word (cached: the same few hundred thousand words recur). */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = stemmer(word);
    if (stems.size > 500_000) stems.clear();
    stems.set(word, s);
  }
  return s;
}

/** The index terms of a text: content words, stemmed. */
export function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) if (!STOPWORDS.has(w)) out.push(stem(w));
  return out;
}

// Parts joined by hyphens (any of the Unicode dashes writers use) or slashes, without spaces around.
const COMPOUND = /[\p{L}\p{N}]+(?:[-\u2010\u2011\u2012\u2013/][\p{L}\p{N}]+)+/gu;
const MAX_COMPOUND = 40;

/** The run-together spellings of a text's hyphenated and slashed compounds (folded, not stemmed). */
export function compounds(text: string): string[] {
  const out: string[] = [];
  for (const m of fold(text).matchAll(COMPOUND)) {
    const joined = m[0].replace(/[^\p{L}\p{N}]/gu, '');
    if (joined.length <= MAX_COMPOUND) out.push(joined);
  }
  return out;
}

/** Every term a field of a paper is indexed under: its words, then its compounds run together. */
export function fieldTerms(text: string): string[] {
  const terms = indexTerms(text);
  for (const c of compounds(text)) terms.push(stem(c));
  return terms;
}
