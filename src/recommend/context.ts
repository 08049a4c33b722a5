/**
 * The per-store part of every reader model (RecommendContext): a tf-idf vocabulary fitted on the
 * store's papers, a seeded sample of them as the "everything else" every term model is trained against,
 * and each category's base rate. Built from plain paper texts, so the evaluation and the product build it
 * the same way.
 */
import { createHash } from 'node:crypto';
import { seededRandom, shuffledIndexes } from '../search/eval/random.ts';
import type { RecommendContext } from './model.ts';
import { fitVocabulary, vectorize, vocabularyOf, vocabularyOptions, type TfidfOptions, type Vocabulary } from './tfidf.ts';

/** A paper as the context needs it. */
export interface ContextPaper {
  title: string;
  abstract: string;
  categories: readonly string[];
}

/** Background papers drawn for the term models: enough to stand for the store, few enough to train fast. */
export const BACKGROUND_SIZE = 10_000;

/** A short hash of a vocabulary's terms (models name the vocabulary they were trained under). */
export function vocabularyIdOf(vocabulary: Vocabulary): string {
  return createHash('sha256').update(vocabulary.terms.join('\n')).digest('hex').slice(0, 12);
}

/**
 * Builds the context from the store's papers: vocabulary fitted on `fitOn` (all of them by default),
 * background drawn from `papers` with `seed`.
 */
export function buildContext(
  papers: readonly ContextPaper[],
  opts: { embedder: string | null; seed?: number; backgroundSize?: number; vocabulary?: Vocabulary },
): RecommendContext {
  const vocabulary = opts.vocabulary ?? fitVocabulary(papers.map((p) => `${p.title} ${p.abstract}`), vocabularyOptions(papers.length));
  const order = shuffledIndexes(papers.length, seededRandom(opts.seed ?? 7)).slice(0, opts.backgroundSize ?? BACKGROUND_SIZE);
  const background = order.map((i) => vectorize(vocabulary, `${papers[i].title} ${papers[i].abstract}`));
  const count = new Map<string, number>();
  for (const i of order) for (const c of new Set(papers[i].categories)) count.set(c, (count.get(c) ?? 0) + 1);
  const categoryRate = new Map([...count].map(([c, n]) => [c, n / Math.max(1, order.length)]));
  return { vocabulary, vocabularyId: vocabularyIdOf(vocabulary), background, categoryRate, embedder: opts.embedder };
}

/**
 * A vocabulary as JSON-safe data and back (stored in the database so every instance uses the same). The
 * terms are one newline-joined string and the idf base64 of its float32s: 300,000 terms parse, copy to a
 * worker and stringify as a few long strings in milliseconds, where arrays of 300,000 held the event loop.
 */
export interface VocabularyJson {
  terms: string;
  idf: string;
  documents: number;
}

/** A vocabulary row's body: the vocabulary, the papers it was fitted on (the background) and the options. */
export type StoredVocabulary = VocabularyJson & { background: number[]; fit?: TfidfOptions };

/** The vocabulary as VocabularyJson (terms never hold a newline: they are words joined by a space). */
export function vocabularyToJson(v: Vocabulary): VocabularyJson {
  return { terms: v.terms.join('\n'), idf: Buffer.from(v.idf.buffer, v.idf.byteOffset, v.idf.byteLength).toString('base64'), documents: v.documents };
}

/** The terms of a VocabularyJson (what reasons quote), without decoding the rest. */
export function vocabularyTerms(j: VocabularyJson): string[] {
  return j.terms === '' ? [] : j.terms.split('\n');
}

/** The inverse of vocabularyToJson. */
export function vocabularyFromJson(j: VocabularyJson): Vocabulary {
  const bytes = Buffer.from(j.idf, 'base64');
  const idf = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return vocabularyOf(vocabularyTerms(j), idf, j.documents);
}
