/**
 * The recommendation evaluation (`paperboy eval --recommend`): simulated readers of one cutoff, every
 * ranker over the window's papers, nDCG@10, Recall@50 and MRR per reader, averaged with 95% bootstrap
 * intervals, overall and by library size (the library cut to 1, 3 or 10 papers, and readers with 30 or
 * more), with each ranker's time per reader.
 */
import { ndcgAtK, reciprocalRank, recallAtK } from '../../search/eval/metrics.ts';
import { seededRandom } from '../../search/eval/random.ts';
import { fitVocabulary, vectorize, ARXIV_SANITY_TFIDF } from '../tfidf.ts';
import type { CutoffData, EvalRanker } from './baselines.ts';
import type { EvalPaper } from './corpus.ts';
import { selectReaders, subsampleLibrary, type ReaderDraw, type SimulatedReader } from './readers.ts';

/** The three metrics of one reader's ranking. */
export interface ReaderScores {
  ndcg10: number;
  recall50: number;
  mrr: number;
}

const METRICS = ['ndcg10', 'recall50', 'mrr'] as const;

/** Means of the metrics with their 95% percentile-bootstrap intervals. */
export interface MetricSummary extends ReaderScores {
  readers: number;
  ci95: Record<(typeof METRICS)[number], [number, number]>;
}

/** One ranker's result on one group of readers. */
export interface RankerResult extends MetricSummary {
  ranker: string;
  /** Mean milliseconds to rank one reader (training included). */
  msPerReader: number;
  perReader: ReaderScores[];
}

/** A library-size group: `1`, `3`, `10` (libraries cut to that size) or `30+` (readers with that many). */
export interface SizeGroup {
  size: string;
  rankers: RankerResult[];
}

/** Everything one cutoff's evaluation found. */
export interface RecommendEvaluation {
  cutoff: string;
  windowDays: number;
  windowEnd: string;
  seed: number;
  papers: number;
  database: number;
  candidates: number;
  readers: number;
  readerCounts: ReaderDraw['counts'];
  rankers: RankerResult[];
  bySize: SizeGroup[];
}

/** Scores one ranking (candidate indexes, best first) against the reader's own window papers. */
export function scoreReader(ranked: readonly number[], reader: SimulatedReader): ReaderScores {
  const ids = ranked.map(String);
  const judgements = new Map(reader.relevant.map((i) => [String(i), 1]));
  return { ndcg10: ndcgAtK(ids, judgements, 10), recall50: recallAtK(ids, judgements, 50), mrr: reciprocalRank(ids, judgements) };
}

/** The mean and 95% percentile-bootstrap interval of each metric over readers (seeded). */
export function summarize(perReader: readonly ReaderScores[], seed: number, resamples = 1000): MetricSummary {
  const n = perReader.length;
  const mean = (m: (typeof METRICS)[number]) => (n ? perReader.reduce((s, r) => s + r[m], 0) / n : 0);
  const ci95 = {} as MetricSummary['ci95'];
  for (const m of METRICS) {
    if (n === 0) {
      ci95[m] = [0, 0];
      continue;
    }
    const random = seededRandom(seed);
    const means = new Float64Array(resamples);
    for (let r = 0; r < resamples; r++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += perReader[Math.floor(random() * n)][m];
      means[r] = s / n;
    }
    means.sort();
    ci95[m] = [means[Math.floor(0.025 * (resamples - 1))], means[Math.ceil(0.975 * (resamples - 1))]];
  }
  return { readers: n, ndcg10: mean('ndcg10'), recall50: mean('recall50'), mrr: mean('mrr'), ci95 };
}

/** The data every ranker sees for a cutoff: the site's papers then, their tf-idf, the window's candidates. */
export function cutoffData(papers: readonly EvalPaper[], cutoff: string, windowEnd: string, candidates: readonly number[]): CutoffData {
  const database: number[] = [];
  papers.forEach((p, i) => {
    if (p.day < windowEnd) database.push(i);
  });
  const vocabulary = fitVocabulary(database.map((i) => `${papers[i].title} ${papers[i].abstract}`), ARXIV_SANITY_TFIDF);
  const tfidf: CutoffData['tfidf'][number][] = new Array(papers.length);
  for (const i of database) tfidf[i] = vectorize(vocabulary, `${papers[i].title} ${papers[i].abstract}`);
  return { papers, cutoff, database, candidates, tfidf, dimensions: vocabulary.terms.length, vocabulary };
}

function runRankers(rankers: readonly EvalRanker[], readers: readonly SimulatedReader[], data: CutoffData, seed: number, log?: (line: string) => void): RankerResult[] {
  return rankers.map((ranker) => {
    const perReader: ReaderScores[] = [];
    const started = performance.now();
    for (const reader of readers) perReader.push(scoreReader(ranker.rank(reader, data).ids, reader));
    const ms = performance.now() - started;
    const result = { ranker: ranker.name, ...summarize(perReader, seed), msPerReader: readers.length ? ms / readers.length : 0, perReader };
    log?.(`  ${ranker.name}: nDCG@10 ${result.ndcg10.toFixed(4)} over ${readers.length} readers, ${result.msPerReader.toFixed(1)} ms/reader`);
    return result;
  });
}

/** Library sizes reported besides the full libraries. */
export const LIBRARY_SIZES = [1, 3, 10] as const;

/** Runs one cutoff: draws readers, runs every ranker on the full libraries and on each size group. */
export function evaluateCutoff(
  papers: readonly EvalPaper[],
  rankers: readonly EvalRanker[],
  opts: { cutoff: string; windowDays: number; users: number; seed: number; log?: (line: string) => void },
): RecommendEvaluation {
  const draw = selectReaders(papers, opts);
  const data = cutoffData(papers, opts.cutoff, draw.windowEnd, draw.candidates);
  opts.log?.(`cutoff ${opts.cutoff}: ${draw.readers.length} readers (of ${draw.counts.eligible} eligible), ${draw.candidates.length} candidates, ${data.database.length} papers held`);
  const all = runRankers(rankers, draw.readers, data, opts.seed, opts.log);
  const bySize: SizeGroup[] = [];
  for (const size of LIBRARY_SIZES) {
    const readers = draw.readers.flatMap((r) => subsampleLibrary(r, size, opts.seed) ?? []);
    opts.log?.(` library of ${size}:`);
    bySize.push({ size: String(size), rankers: runRankers(rankers, readers, data, opts.seed, opts.log) });
  }
  const large = new Set(draw.readers.flatMap((r, k) => (r.library.length >= 30 ? [k] : [])));
  bySize.push({
    size: '30+',
    rankers: all.map((r) => {
      const perReader = r.perReader.filter((_, k) => large.has(k));
      return { ...r, ...summarize(perReader, opts.seed), perReader };
    }),
  });
  return {
    cutoff: opts.cutoff,
    windowDays: opts.windowDays,
    windowEnd: draw.windowEnd,
    seed: opts.seed,
    papers: papers.length,
    database: data.database.length,
    candidates: draw.candidates.length,
    readers: draw.readers.length,
    readerCounts: draw.counts,
    rankers: all,
    bySize,
  };
}
