/**
 * The per-store part of every reader model (RecommendContext): a tf-idf vocabulary fitted on the
 * store's papers, a seeded sample of them as the "everything else" every term model is trained against,
 * and each category's base rate. Built from plain paper texts, so the evaluation and the product build it
 * the same way.
 */
import { createHash } from 'node:crypto';
import { seededRandom, shuffledIndexes } from '../search/eval/random.ts';
import type { RecommendContext } from './model.ts';
import { fitVocabulary, vectorize, vocabularyOf, ARXIV_SANITY_TFIDF, type Vocabulary } from './tfidf.ts';

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
  const vocabulary = opts.vocabulary ?? fitVocabulary(papers.map((p) => `${p.title} ${p.abstract}`), ARXIV_SANITY_TFIDF);
  const order = shuffledIndexes(papers.length, seededRandom(opts.seed ?? 7)).slice(0, opts.backgroundSize ?? BACKGROUND_SIZE);
  const background = order.map((i) => vectorize(vocabulary, `${papers[i].title} ${papers[i].abstract}`));
  const count = new Map<string, number>();
  for (const i of order) for (const c of new Set(papers[i].categories)) count.set(c, (count.get(c) ?? 0) + 1);
  const categoryRate = new Map([...count].map(([c, n]) => [c, n / Math.max(1, order.length)]));
  return { vocabulary, vocabularyId: vocabularyIdOf(vocabulary), background, categoryRate, embedder: opts.embedder };
}

/** A vocabulary as JSON-safe data and back (stored in the database so every instance uses the same). */
export function vocabularyToJson(v: Vocabulary): { terms: string[]; idf: number[]; documents: number } {
  return { terms: v.terms, idf: Array.from(v.idf), documents: v.documents };
}

/** The inverse of vocabularyToJson. */
export function vocabularyFromJson(j: { terms: string[]; idf: number[]; documents: number }): Vocabulary {
  return vocabularyOf(j.terms, Float32Array.from(j.idf), j.documents);
}
