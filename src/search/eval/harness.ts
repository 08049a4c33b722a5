/**
 * Runs labelled queries through rankers and averages the metrics per query type. A ranker is any
 * search mode reduced to one shape — `(query, limit) => {ids, scores}` — so keyword, semantic, hybrid
 * or an outside library are evaluated the same way.
 */
import { hasRelevant, meanMetrics, pairedBootstrap, scoreRanking, type Judgements, type RankingMetrics } from './metrics.ts';
import { seededRandom } from './random.ts';

/** A ranked result list: ids best first, with the ranker's own scores (larger is better). */
export interface Ranking<Id = number> {
  ids: Id[];
  scores: number[];
}

/** One search mode as a function; `Id` is a store paper id for our modes, a corpus id for outside engines. */
export type Ranker<Id = number> = (query: string, limit: number) => Promise<Ranking<Id>>;

/** A query with graded judgements on corpus ids; `group` is what the results are averaged by. */
export interface LabelledQuery {
  id: string;
  group: string;
  text: string;
  relevant: Judgements;
  /** Corpus ids removed from the ranking before scoring (the query's own paper, for "related" tasks). */
  exclude?: readonly string[];
}

/** Averages for one group of queries (or "all"). */
export interface GroupResult extends RankingMetrics {
  group: string;
  queries: number;
}

/** One query's metrics under one ranker. */
export interface QueryResult extends RankingMetrics {
  id: string;
  group: string;
}

/** What one ranker scored: per group, overall (macro: each query counts once), per query, and latencies. */
export interface ModeResult {
  mode: string;
  groups: GroupResult[];
  all: GroupResult;
  perQuery: QueryResult[];
  latenciesMs: number[];
}

/** How deep each ranking is read: Recall@100 needs 100 results. */
export const DEPTH = 100;

/**
 * Runs every query with a judged relevant document through the ranker (one at a time, so latencies
 * are not inflated by concurrency), maps result ids to corpus ids with `toCorpusId`, and scores them.
 */
export async function evaluateRanker<Id>(
  mode: string,
  ranker: Ranker<Id>,
  queries: readonly LabelledQuery[],
  toCorpusId: (id: Id) => string | undefined,
): Promise<ModeResult> {
  const perGroup = new Map<string, RankingMetrics[]>();
  const latenciesMs: number[] = [];
  const all: QueryResult[] = [];
  for (const q of queries) {
    if (!hasRelevant(q.relevant)) continue;
    const exclude = new Set(q.exclude ?? []);
    const started = performance.now();
    const ranking = await ranker(q.text, DEPTH + exclude.size);
    latenciesMs.push(performance.now() - started);
    const ranked = ranking.ids.flatMap((id) => {
      const corpusId = toCorpusId(id);
      return corpusId !== undefined && !exclude.has(corpusId) ? [corpusId] : [];
    });
    const metrics = scoreRanking(ranked.slice(0, DEPTH), q.relevant);
    all.push({ id: q.id, group: q.group, ...metrics });
    const list = perGroup.get(q.group);
    if (list) list.push(metrics);
    else perGroup.set(q.group, [metrics]);
  }
  const groups = [...perGroup].map(([group, list]) => ({ group, queries: list.length, ...meanMetrics(list) }));
  return { mode, groups, all: { group: 'all', queries: all.length, ...meanMetrics(all) }, perQuery: all, latenciesMs };
}

/** The p-th percentile (0–100) of a list of numbers, by the nearest-rank method; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** A markdown table of nDCG@10, MRR and Recall@100 per mode and query group (with "all" when there are several groups). */
export function formatMetricsTable(results: readonly ModeResult[]): string {
  const lines = ['| mode | queries | n | nDCG@10 | MRR | Recall@100 | p50 ms (100 results) |', '|---|---|---:|---:|---:|---:|---:|'];
  for (const r of results) {
    const rows = r.groups.length > 1 ? [...r.groups, r.all] : r.groups;
    for (const g of rows) {
      const p50 = g === r.all || r.groups.length === 1 ? percentile(r.latenciesMs, 50).toFixed(1) : '';
      lines.push(`| ${r.mode} | ${g.group} | ${g.queries} | ${g.ndcg10.toFixed(3)} | ${g.mrr.toFixed(3)} | ${g.recall100.toFixed(3)} | ${p50} |`);
    }
  }
  return lines.join('\n');
}

/**
 * A markdown table of each mode's nDCG@10 minus the base mode's, overall and per group, with 95%
 * paired-bootstrap intervals (seeded): an interval holding 0 means no measurable difference.
 */
export function formatComparison(base: ModeResult, others: readonly ModeResult[]): string {
  const groups = ['all', ...base.groups.map((g) => g.group)];
  const lines = [`| mode | ${groups.map((g) => `Δ nDCG@10 ${g}`).join(' | ')} |`, `|---|${groups.map(() => '---:').join('|')}|`];
  const sign = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
  for (const other of others) {
    const cells = groups.map((group) => {
      const pick = (r: ModeResult) => new Map(r.perQuery.filter((q) => group === 'all' || q.group === group).map((q) => [q.id, q.ndcg10]));
      const [a, b] = [pick(base), pick(other)];
      const ids = [...a.keys()].filter((id) => b.has(id));
      const d = pairedBootstrap(ids.map((id) => a.get(id)!), ids.map((id) => b.get(id)!), seededRandom(12345));
      return `${sign(d.mean)} [${sign(d.low)}, ${sign(d.high)}]`;
    });
    lines.push(`| ${other.mode} vs ${base.mode} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The results as plain JSON (metrics rounded to 4 places, latency percentiles instead of every sample). */
export function metricsJson(results: readonly ModeResult[]) {
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const group = (g: GroupResult) => ({ queries: g.queries, ndcg10: round(g.ndcg10), mrr: round(g.mrr), recall100: round(g.recall100) });
  return results.map((r) => ({
    mode: r.mode,
    all: group(r.all),
    groups: Object.fromEntries(r.groups.map((g) => [g.group, group(g)])),
    latencyMs: { p50: round(percentile(r.latenciesMs, 50)), p99: round(percentile(r.latenciesMs, 99)) },
  }));
}
