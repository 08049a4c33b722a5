/**
 * Hybrid ranking: keyword and vector rankings merged by one small pure function. Every ranker has
 * the same shape, (ids, scores) best first, so adding one is a matter of passing another list.
 */

/** A ranking: paper ids best first, with the ranker's scores (larger is better). */
export interface Ranking {
  ids: number[];
  scores: number[];
}

/** How scores of different rankers are put on one scale before mixing. */
export type Normalization = 'minmax' | 'zscore';

/** How hybrid search merges its two rankings. */
export type FusionMethod =
  | { kind: 'score'; alpha: number; normalization: Normalization }
  | { kind: 'rrf'; k: number; weights?: number[] }
  | { kind: 'agreement'; minVector: number; maxVector: number; top: number; normalization: Normalization };

/**
 * The default: weighted score fusion whose vector weight follows the two lists' agreement on the query, from
 * 0 (they share none of their first 20) to 0.5 (the same 20). With a weak static embedder plain RRF pulled
 * a tuned BM25 down (nDCG@10 0.69 → 0.44–0.57 on a scientific-abstract benchmark) and a fixed weight could
 * still cost a query group; weighted by agreement, hybrid was at or above keyword on every group of
 * `npm run eval:search -- --fusion` (docs/benchmarks.md), which re-measures it.
 */
export const DEFAULT_FUSION: FusionMethod = { kind: 'agreement', minVector: 0, maxVector: 0.5, top: 20, normalization: 'minmax' };

/** A ranking of nothing. */
export const EMPTY_RANKING: Ranking = { ids: [], scores: [] };

/** Scores rescaled to [0, 1] (min-max) or to standard deviations from the mean (z-score). */
export function normalizeScores(scores: number[], method: Normalization): number[] {
  if (scores.length === 0) return [];
  if (method === 'minmax') {
    const min = Math.min(...scores);
    const max = Math.max(...scores);
    // One score, or all equal: every item is as good as the best.
    return scores.map((s) => (max > min ? (s - min) / (max - min) : 1));
  }
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const sd = Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / scores.length);
  return scores.map((s) => (sd > 0 ? (s - mean) / sd : 0));
}

function sortRanking(scored: Map<number, number>): Ranking {
  const entries = [...scored].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return { ids: entries.map((e) => e[0]), scores: entries.map((e) => e[1]) };
}

/**
 * Reciprocal-rank fusion: each list adds weight / (k + rank) for every id it holds (rank from 1).
 * Scores are ignored, so rankers on any scale mix; k = 60 is the usual damping.
 */
export function reciprocalRankFusion(lists: Ranking[], k = 60, weights: number[] = lists.map(() => 1)): Ranking {
  const fused = new Map<number, number>();
  lists.forEach((list, l) => {
    list.ids.forEach((id, rank) => fused.set(id, (fused.get(id) ?? 0) + weights[l] / (k + rank + 1)));
  });
  return sortRanking(fused);
}

/**
 * Weighted score fusion: alpha * keyword + (1 - alpha) * vector, each list normalized on its own.
 * An id missing from the keyword list did not match the words and scores as the keyword minimum; an
 * id missing from the vector list has no vector and keeps its keyword score alone (keyword-only
 * fallback per paper), so papers not yet embedded are neither lifted nor buried.
 */
export function scoreFusion(keyword: Ranking, vector: Ranking, alpha: number, normalization: Normalization = 'minmax'): Ranking {
  const kwNorm = normalizeScores(keyword.scores, normalization);
  const kw = new Map(keyword.ids.map((id, i) => [id, kwNorm[i]] as const));
  const vecNorm = normalizeScores(vector.scores, normalization);
  const vec = new Map(vector.ids.map((id, i) => [id, vecNorm[i]] as const));
  // Not matching the words at all is as bad as the worst match (0 after min-max; the lowest z-score).
  const kwFloor = normalization === 'minmax' || kwNorm.length === 0 ? 0 : Math.min(...kwNorm);
  const fused = new Map<number, number>();
  for (const id of new Set([...keyword.ids, ...vector.ids])) {
    const k = kw.get(id) ?? kwFloor;
    const v = vec.get(id);
    fused.set(id, v === undefined ? k : alpha * k + (1 - alpha) * v);
  }
  return sortRanking(fused);
}

/**
 * How much two rankings agree: the share of the keyword ranking's first `top` ids that are also among the
 * vector ranking's first `top` (0 to 1). A weak embedder's list shares little with BM25's on a query it
 * does not understand, and much on one it does.
 */
export function agreement(keyword: Ranking, vector: Ranking, top: number): number {
  const n = Math.min(top, keyword.ids.length, vector.ids.length);
  if (n === 0) return 0;
  const seen = new Set(vector.ids.slice(0, top));
  return keyword.ids.slice(0, n).filter((id) => seen.has(id)).length / n;
}

/** Merges a keyword and a vector ranking by the given method. */
export function fuse(keyword: Ranking, vector: Ranking, method: FusionMethod = DEFAULT_FUSION): Ranking {
  if (method.kind === 'rrf') return reciprocalRankFusion([keyword, vector], method.k, method.weights);
  if (method.kind === 'agreement') {
    // The vector side earns its weight per query: from minVector when the lists share nothing to maxVector
    // when they agree, so a weak embedder cannot pull BM25 down where it has nothing to add.
    const share = agreement(keyword, vector, method.top);
    return scoreFusion(keyword, vector, 1 - (method.minVector + (method.maxVector - method.minVector) * share), method.normalization);
  }
  return scoreFusion(keyword, vector, method.alpha, method.normalization);
}
