/**
 * Ranking-quality metrics as small pure functions over a ranked list of document ids and graded
 * relevance judgements. Conventions follow trec_eval / pytrec_eval as BEIR uses them: the gain of a
 * document is its grade (linear, not 2^grade − 1), a grade of 0 or less counts as not relevant, and
 * a query with no relevant document is left out of the averages rather than scored 0.
 */

/** Relevance judgements of one query: document id → grade (1 = relevant, higher = more relevant). */
export type Judgements = ReadonlyMap<string, number>;

/** The metrics reported per query and, averaged, per run. */
export interface RankingMetrics {
  ndcg10: number;
  mrr: number;
  recall100: number;
}

/** Normalized discounted cumulative gain over the first k results: DCG / the best possible DCG. */
export function ndcgAtK(ranked: readonly string[], judgements: Judgements, k = 10): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    const grade = judgements.get(ranked[i]) ?? 0;
    if (grade > 0) dcg += grade / Math.log2(i + 2);
  }
  const ideal = [...judgements.values()].filter((g) => g > 0).sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, grade, i) => sum + grade / Math.log2(i + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

/** 1 / the rank of the first relevant result within the first k, or 0 when none is there. */
export function reciprocalRank(ranked: readonly string[], judgements: Judgements, k = ranked.length): number {
  for (let i = 0; i < Math.min(k, ranked.length); i++) if ((judgements.get(ranked[i]) ?? 0) > 0) return 1 / (i + 1);
  return 0;
}

/** The share of the relevant documents found within the first k results. */
export function recallAtK(ranked: readonly string[], judgements: Judgements, k = 100): number {
  let relevant = 0;
  for (const grade of judgements.values()) if (grade > 0) relevant++;
  if (relevant === 0) return 0;
  let found = 0;
  for (const id of new Set(ranked.slice(0, k))) if ((judgements.get(id) ?? 0) > 0) found++;
  return found / relevant;
}

/** nDCG@10, MRR (first relevant within the top 100) and Recall@100 of one ranking. */
export function scoreRanking(ranked: readonly string[], judgements: Judgements): RankingMetrics {
  return { ndcg10: ndcgAtK(ranked, judgements, 10), mrr: reciprocalRank(ranked, judgements, 100), recall100: recallAtK(ranked, judgements, 100) };
}

/** The mean of each metric over queries (all zero for an empty list). */
export function meanMetrics(perQuery: readonly RankingMetrics[]): RankingMetrics {
  const n = perQuery.length || 1;
  const sum = (f: (m: RankingMetrics) => number) => perQuery.reduce((s, m) => s + f(m), 0) / n;
  return { ndcg10: sum((m) => m.ndcg10), mrr: sum((m) => m.mrr), recall100: sum((m) => m.recall100) };
}

/** True when a query has at least one relevant document, i.e. it counts in the averages. */
export function hasRelevant(judgements: Judgements): boolean {
  for (const grade of judgements.values()) if (grade > 0) return true;
  return false;
}

/** A mean difference with its 95% confidence interval. */
export interface Difference {
  mean: number;
  low: number;
  high: number;
}

/**
 * The mean of `b[i] − a[i]` over paired per-query scores, with a 95% paired-bootstrap confidence
 * interval (queries resampled with replacement, `random` seeded by the caller). When the interval
 * holds 0 the two systems are not told apart by these queries.
 */
export function pairedBootstrap(a: readonly number[], b: readonly number[], random: () => number, resamples = 2000): Difference {
  if (a.length !== b.length) throw new Error(`pairedBootstrap: ${a.length} scores against ${b.length}`);
  const n = a.length;
  if (n === 0) return { mean: 0, low: 0, high: 0 };
  const diffs = a.map((x, i) => b[i] - x);
  const mean = diffs.reduce((s, d) => s + d, 0) / n;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[Math.floor(random() * n)];
    means[r] = sum / n;
  }
  means.sort();
  return { mean, low: means[Math.floor(0.025 * (resamples - 1))], high: means[Math.ceil(0.975 * (resamples - 1))] };
}
