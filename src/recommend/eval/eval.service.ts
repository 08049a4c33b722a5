/**
 * `paperboy eval --recommend`'s work: read the corpus with its vectors, run every ranker on one cutoff.
 */
import { DEFAULT_CORPUS } from '../../search/eval/corpus.ts';
import { arxivSanitySvm, newest, zoteroSimilarity, type EvalRanker } from './baselines.ts';
import { loadEvalCorpus } from './corpus.ts';
import { paperboyRanker } from './paperboy-ranker.ts';
import { evaluateCutoff, type RecommendEvaluation } from './run.ts';

/** The options of `paperboy eval --recommend`. */
export interface RecommendEvalOptions {
  corpus?: string;
  cutoff: string;
  windowDays: number;
  users: number;
  seed: number;
  log?: (line: string) => void;
}

/** The four rankers in the order they are reported. */
export function evaluationRankers(): EvalRanker[] {
  return [paperboyRanker(), arxivSanitySvm(), zoteroSimilarity(), newest()];
}

/** Loads the corpus and evaluates every ranker on the cutoff. */
export async function evaluateRecommendations(opts: RecommendEvalOptions): Promise<RecommendEvaluation & { embedder: string; corpus: string }> {
  const corpus = opts.corpus ?? DEFAULT_CORPUS;
  const { papers, embedder } = await loadEvalCorpus(corpus, opts.log);
  return { corpus, embedder, ...evaluateCutoff(papers, evaluationRankers(), opts) };
}
