/**
 * Tf-idf features of paper texts as scikit-learn's TfidfVectorizer makes them with the settings of
 * arxiv-sanity-lite's compute.py: accents stripped, lower-cased, tokens of two or more word characters
 * starting with a letter, English stop words dropped before n-grams are formed, 1–2-grams, the most frequent
 * features in the corpus within a df range (arxiv-sanity's: at most 20,000 with df ≥ 5 and ≤ 10%; Paperboy's
 * own, PAPERBOY_TFIDF, keeps the rarer ones too), sublinear tf, smoothed idf, unit length. Pure and
 * synchronous; a vocabulary serializes to JSON (context.ts).
 */
import { ENGLISH_STOP_WORDS } from './stop-words.ts';

/** A sparse vector: feature indexes ascending, with their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/** How a vocabulary is chosen. */
export interface TfidfOptions {
  maxFeatures: number;
  /** A term must be in at least this many documents. */
  minDf: number;
  /** …and in at most this share of them. */
  maxDf: number;
}

/** arxiv-sanity-lite's compute.py settings (the evaluation's SVM baseline). */
export const ARXIV_SANITY_TFIDF: TfidfOptions = { maxFeatures: 20_000, minDf: 5, maxDf: 0.1 };

/**
 * Paperboy's own vocabulary: the rare 1–2-grams too (named methods, datasets, df ≥ 2) that tell one group's
 * papers from the rest, which the 20,000 most frequent leave out (+8% nDCG@10 on the evaluation,
 * docs/benchmarks.md "Recommendations").
 */
export const PAPERBOY_TFIDF: TfidfOptions = { maxFeatures: 300_000, minDf: 2, maxDf: 0.1 };

/** PAPERBOY_TFIDF for a store of `documents` papers: a small one (a new lab's) keeps words seen once and common ones. */
export function vocabularyOptions(documents: number): TfidfOptions {
  return { ...PAPERBOY_TFIDF, minDf: Math.min(PAPERBOY_TFIDF.minDf, Math.max(1, Math.floor(documents / 50))), maxDf: documents < 200 ? 0.5 : PAPERBOY_TFIDF.maxDf };
}

/** The fitted features: terms (unigrams and "a b" bigrams) and their idf. */
export interface Vocabulary {
  terms: string[];
  idf: Float32Array;
  /** term → feature index */
  index: Map<string, number>;
  /** How many documents it was fitted on. */
  documents: number;
}

// Python's `(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b` on accent-stripped, lower-cased text: a word boundary is any
// Unicode letter, digit or underscore, so "3dgs" yields nothing and "αbeta" neither.
const TOKEN = /(?<![\p{L}\p{N}_])[a-z_][a-z0-9_]+(?![\p{L}\p{N}_])/gu;

/** The unigram tokens of a text, stop words removed (what n-grams are built from). */
export function tokens(text: string): string[] {
  const clean = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const out: string[] = [];
  for (const m of clean.matchAll(TOKEN)) if (!ENGLISH_STOP_WORDS.has(m[0])) out.push(m[0]);
  return out;
}

/** The 1- and 2-grams of a text, in order, repeats kept. */
export function ngrams(text: string): string[] {
  const words = tokens(text);
  const out = [...words];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

/**
 * Fits a vocabulary on documents. Bigrams are counted only where both words have df ≥ minDf (no other
 * bigram can reach it), which keeps fitting 75k abstracts to a few seconds.
 */
export function fitVocabulary(texts: readonly string[], opts: TfidfOptions = ARXIV_SANITY_TFIDF): Vocabulary {
  const n = texts.length;
  const wordId = new Map<string, number>();
  const words: string[] = [];
  const docs: Int32Array[] = [];
  for (const text of texts) {
    const ws = tokens(text);
    const ids = new Int32Array(ws.length);
    for (let i = 0; i < ws.length; i++) {
      let id = wordId.get(ws[i]);
      if (id === undefined) wordId.set(ws[i], (id = words.push(ws[i]) - 1));
      ids[i] = id;
    }
    docs.push(ids);
  }
  const wordDf = new Int32Array(words.length);
  const wordTf = new Float64Array(words.length);
  const seen = new Int32Array(words.length).fill(-1);
  docs.forEach((ids, d) => {
    for (const id of ids) {
      wordTf[id]++;
      if (seen[id] !== d) (seen[id] = d), wordDf[id]++;
    }
  });
  // Bigram key: a * W + b, exact in a double for any realistic W.
  const W = words.length;
  const bigramDf = new Map<number, number>();
  const bigramTf = new Map<number, number>();
  const inDoc = new Set<number>();
  for (const ids of docs) {
    inDoc.clear();
    for (let i = 0; i + 1 < ids.length; i++) {
      const a = ids[i];
      const b = ids[i + 1];
      if (wordDf[a] < opts.minDf || wordDf[b] < opts.minDf) continue;
      const key = a * W + b;
      bigramTf.set(key, (bigramTf.get(key) ?? 0) + 1);
      if (!inDoc.has(key)) {
        inDoc.add(key);
        bigramDf.set(key, (bigramDf.get(key) ?? 0) + 1);
      }
    }
  }
  const maxDocs = opts.maxDf * n;
  const kept: { term: string; df: number; tf: number }[] = [];
  for (let id = 0; id < W; id++) if (wordDf[id] >= opts.minDf && wordDf[id] <= maxDocs) kept.push({ term: words[id], df: wordDf[id], tf: wordTf[id] });
  for (const [key, df] of bigramDf) {
    if (df < opts.minDf || df > maxDocs) continue;
    kept.push({ term: `${words[Math.floor(key / W)]} ${words[key % W]}`, df, tf: bigramTf.get(key)! });
  }
  // The most frequent terms over the corpus, as scikit-learn's max_features; ties alphabetically.
  kept.sort((x, y) => y.tf - x.tf || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
  const chosen = kept.slice(0, opts.maxFeatures).sort((x, y) => (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
  return vocabularyOf(
    chosen.map((c) => c.term),
    Float32Array.from(chosen, (c) => Math.log((1 + n) / (1 + c.df)) + 1),
    n,
  );
}

/** A vocabulary from its terms and idf (as stored). */
export function vocabularyOf(terms: string[], idf: Float32Array, documents: number): Vocabulary {
  return { terms, idf, documents, index: new Map(terms.map((t, i) => [t, i])) };
}

/** A text's tf-idf vector: sublinear tf (1 + ln tf) times idf, scaled to unit length. */
export function vectorize(vocab: Vocabulary, text: string): SparseVector {
  const counts = new Map<number, number>();
  const words = tokens(text);
  const add = (term: string) => {
    const f = vocab.index.get(term);
    if (f !== undefined) counts.set(f, (counts.get(f) ?? 0) + 1);
  };
  for (let i = 0; i < words.length; i++) {
    add(words[i]);
    if (i + 1 < words.length) add(`${words[i]} ${words[i + 1]}`);
  }
  const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const values = new Float32Array(indices.length);
  let norm = 0;
  for (let k = 0; k < indices.length; k++) {
    const v = (1 + Math.log(counts.get(indices[k])!)) * vocab.idf[indices[k]];
    values[k] = v;
    norm += v * v;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let k = 0; k < values.length; k++) values[k] *= inv;
  }
  return { indices, values };
}

/** The dot product of two sparse vectors (both with ascending indexes). */
export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const x = a.indices[i];
    const y = b.indices[j];
    if (x === y) s += a.values[i++] * b.values[j++];
    else if (x < y) i++;
    else j++;
  }
  return s;
}

/** The dot product of a sparse vector with a dense weight vector. */
export function denseDot(weights: Float32Array | Float64Array, x: SparseVector): number {
  let s = 0;
  for (let k = 0; k < x.indices.length; k++) s += weights[x.indices[k]] * x.values[k];
  return s;
}
