/**
 * Hybrid ranking, pure: keyword hits and vector hits of one query become one list. Papers that have every
 * word of a short query come first, ranked by both rankers fused; papers the words missed but the vectors
 * found follow them as `related`, so meaning adds recall without ever outranking a full match. A long
 * query's two lists are fused into one. A vector score under VECTOR_FLOOR is no evidence at all (the
 * static embedder gives an unknown word a zero vector, so every paper is "similar" at 0), and such a paper
 * is never shown for the vectors' sake.
 */
import { agreement, DEFAULT_FUSION, type FusionMethod, type Ranking, scoreFusion } from './fusion.ts';
import type { KeywordHit } from './keyword-index.ts';
import type { VectorHit } from './vector-index.ts';

/**
 * Cosine similarity below which a vector match means nothing. Measured with the static embedder on the 75k
 * store: a query of unknown words (typos, nonsense, another script) has a zero vector, so every paper scores
 * 0, while real queries' tenth-best paper scores 0.35–0.63. Other embedders spread similarities
 * differently, so the floor only separates "no evidence" from some.
 */
export const VECTOR_FLOOR = 0.05;

/** One ranked paper of a hybrid search. */
export interface HybridHit {
  id: number;
  score: number;
  keywordScore?: number;
  vectorScore?: number;
  /** Found by meaning only, below the papers that have the words. */
  related?: true;
}

/** What the hybrid ranking is made from. */
export interface HybridInput {
  keywordHits: KeywordHit[];
  vectorHits: VectorHit[];
  /** The cosine similarity of any paper with the query (papers without a vector: undefined). */
  similarity: (paperId: number) => number | undefined;
  /** Whether the keyword hits are a short query's full matches (every word). */
  fullMatches: boolean;
  fusion?: FusionMethod;
}

/** The vector side's weight (1 − alpha) under a fusion method, for this query's two lists. */
function keywordWeight(method: FusionMethod, keyword: Ranking, vector: Ranking): number {
  if (method.kind === 'agreement') return 1 - (method.minVector + (method.maxVector - method.minVector) * agreement(keyword, vector, method.top));
  if (method.kind === 'score') return method.alpha;
  return 0.5;
}

/** The hybrid ranking of one query (see the module comment). */
export function hybridRanking(input: HybridInput): HybridHit[] {
  const method = input.fusion ?? DEFAULT_FUSION;
  const normalization = method.kind === 'rrf' ? 'minmax' : method.normalization;
  const keyword: Ranking = { ids: input.keywordHits.map((h) => h.id), scores: input.keywordHits.map((h) => h.score) };
  const vector: Ranking = { ids: input.vectorHits.map((h) => h.id), scores: input.vectorHits.map((h) => h.score) };
  const alpha = keywordWeight(method, keyword, vector);
  const keywordScore = new Map(input.keywordHits.map((h) => [h.id, h.score]));
  const similarity = new Map<number, number>();
  for (const h of input.vectorHits) similarity.set(h.id, h.score);
  for (const h of input.keywordHits) {
    const s = input.similarity(h.id);
    if (s !== undefined) similarity.set(h.id, s);
  }
  const hit = (id: number, score: number, related?: true): HybridHit => ({
    id,
    score,
    keywordScore: keywordScore.get(id),
    vectorScore: similarity.get(id),
    ...(related ? { related } : {}),
  });
  // Below the floor a similarity says nothing; the paper keeps its keyword score alone, as one without a vector does.
  const evidence = (ids: number[]) => {
    const kept = ids.filter((id) => (similarity.get(id) ?? 0) >= VECTOR_FLOOR);
    return { ids: kept, scores: kept.map((id) => similarity.get(id)!) };
  };

  if (input.fullMatches) {
    const fused = scoreFusion(keyword, evidence(keyword.ids), alpha, normalization);
    const matches = fused.ids.map((id, i) => hit(id, fused.scores[i]));
    const related = input.vectorHits.filter((h) => !keywordScore.has(h.id) && h.score >= VECTOR_FLOOR).map((h) => hit(h.id, h.score, true));
    return [...matches, ...related];
  }
  // Papers only the vectors found join when their similarity is evidence; the keyword ones are all there.
  const fused = scoreFusion(keyword, evidence([...new Set([...vector.ids, ...keyword.ids])]), alpha, normalization);
  return fused.ids.map((id, i) => hit(id, fused.scores[i]));
}
