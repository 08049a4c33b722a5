/**
 * The recommendation evaluation's output: the JSON `paperboy eval --recommend --json` prints (ranker
 * names fixed by the issue: paperboy, arxiv-sanity-svm, zotero-similarity, newest) and the markdown
 * tables docs/benchmarks.md quotes.
 */
import { pairedBootstrap } from '../../search/eval/metrics.ts';
import { seededRandom } from '../../search/eval/random.ts';
import type { RankerResult, RecommendEvaluation } from './run.ts';

/** Rankers that are baselines (everything but Paperboy's). */
const isBaseline = (name: string) => name !== 'paperboy';

/** Paperboy against the best baseline by nDCG@10: relative gain and the paired 95% interval of the difference. */
export function comparison(rankers: readonly RankerResult[]): { against: string; relativeNdcg10: number; difference: { mean: number; low: number; high: number } } | undefined {
  const ours = rankers.find((r) => r.ranker === 'paperboy');
  const best = rankers.filter((r) => isBaseline(r.ranker)).sort((a, b) => b.ndcg10 - a.ndcg10)[0];
  if (!ours || !best) return undefined;
  const difference = pairedBootstrap(best.perReader.map((r) => r.ndcg10), ours.perReader.map((r) => r.ndcg10), seededRandom(12345));
  return { against: best.ranker, relativeNdcg10: best.ndcg10 > 0 ? ours.ndcg10 / best.ndcg10 - 1 : 0, difference };
}

const strip = ({ perReader: _perReader, ...rest }: RankerResult) => rest;

/** The evaluation as JSON-ready data (per-reader scores left out). */
export function evaluationJson(e: RecommendEvaluation) {
  return {
    ...e,
    rankers: e.rankers.map(strip),
    comparison: comparison(e.rankers),
    bySize: e.bySize.map((g) => ({ size: g.size, readers: g.rankers[0]?.readers ?? 0, rankers: g.rankers.map(strip), comparison: comparison(g.rankers) })),
  };
}

const f = (x: number) => x.toFixed(3);
const ci = ([lo, hi]: [number, number]) => `[${f(lo)}, ${f(hi)}]`;

/** Markdown: the overall table, then nDCG@10 by library size, then Paperboy against the best baseline. */
export function formatEvaluation(e: RecommendEvaluation): string {
  const lines = [
    `cutoff ${e.cutoff}, window ${e.windowDays} days (to ${e.windowEnd}): ${e.readers} readers, ${e.candidates} candidates, ${e.database} papers held`,
    '',
    '| ranker | nDCG@10 [95% CI] | Recall@50 [95% CI] | MRR [95% CI] | ms / reader |',
    '|---|---:|---:|---:|---:|',
    ...e.rankers.map((r) => `| ${r.ranker} | ${f(r.ndcg10)} ${ci(r.ci95.ndcg10)} | ${f(r.recall50)} ${ci(r.ci95.recall50)} | ${f(r.mrr)} ${ci(r.ci95.mrr)} | ${r.msPerReader.toFixed(1)} |`),
    '',
    `| nDCG@10 by library size | ${e.bySize.map((g) => `${g.size} (${g.rankers[0]?.readers ?? 0} readers)`).join(' | ')} |`,
    `|---|${e.bySize.map(() => '---:').join('|')}|`,
    ...e.rankers.map((r) => `| ${r.ranker} | ${e.bySize.map((g) => f(g.rankers.find((x) => x.ranker === r.ranker)?.ndcg10 ?? NaN)).join(' | ')} |`),
  ];
  const rows = [['all', comparison(e.rankers)] as const, ...e.bySize.map((g) => [g.size, comparison(g.rankers)] as const)];
  lines.push('', '| paperboy vs best baseline | against | relative nDCG@10 | Δ nDCG@10 [95% paired CI] |', '|---|---|---:|---:|');
  for (const [size, c] of rows) if (c) lines.push(`| ${size} | ${c.against} | ${(c.relativeNdcg10 * 100).toFixed(1)}% | ${f(c.difference.mean)} [${f(c.difference.low)}, ${f(c.difference.high)}] |`);
  return lines.join('\n');
}
