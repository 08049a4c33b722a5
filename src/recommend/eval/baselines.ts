/**
 * The rankers Paperboy's recommendations are measured against, each as its project ranks:
 * arxiv-sanity-lite's per-tag SVM (serve.py `svm_rank`), zotero-arxiv-daily's recency-weighted embedding
 * similarity (`rerank_paper`), and newest first. Every ranker has one shape — a reader and the cutoff's
 * data in, `{ids, scores}` over candidate paper indexes out — and sees text and categories only.
 */
import type { Ranking } from '../../search/eval/harness.ts';
import { trainLinearSvm } from '../linear-svm.ts';
import type { SparseVector, Vocabulary } from '../tfidf.ts';
import type { EvalPaper } from './corpus.ts';
import type { SimulatedReader } from './readers.ts';

/** What every ranker may use for one cutoff: the papers, which of them the site holds, the candidates. */
export interface CutoffData {
  papers: readonly EvalPaper[];
  cutoff: string;
  /** Indexes of every paper listed before the window ends: what a site running then would hold. */
  database: readonly number[];
  /** Indexes of the window's papers: what is ranked. */
  candidates: readonly number[];
  /** Tf-idf vectors (arxiv-sanity-lite's features, fitted on the database), by paper index. */
  tfidf: readonly (SparseVector | undefined)[];
  dimensions: number;
  /** The vocabulary of those vectors. */
  vocabulary: Vocabulary;
}

/** A named ranker over candidate indexes. */
export interface EvalRanker {
  name: string;
  rank(reader: SimulatedReader, data: CutoffData): Ranking;
}

function sortedRanking(ids: readonly number[], scores: ArrayLike<number>): Ranking {
  const order = ids.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || ids[a] - ids[b]);
  return { ids: order.map((i) => ids[i]), scores: order.map((i) => scores[i]) };
}

/**
 * arxiv-sanity-lite: `LinearSVC(class_weight='balanced', C=0.01)` (squared hinge, bias as a feature)
 * trained on every paper the site holds, the reader's library positive and all others negative, then
 * the candidates ranked by the decision function. `tolerance` is liblinear's stopping criterion.
 */
export function arxivSanitySvm(opts: { C?: number; tolerance?: number } = {}): EvalRanker {
  return {
    name: 'arxiv-sanity-svm',
    rank(reader, data) {
      const inLibrary = new Set(reader.library);
      const samples: SparseVector[] = [];
      const labels: boolean[] = [];
      for (const i of data.database) {
        const x = data.tfidf[i];
        if (!x) continue;
        samples.push(x);
        labels.push(inLibrary.has(i));
      }
      const model = trainLinearSvm(samples, labels, data.dimensions, { C: opts.C ?? 0.01, classWeight: 'balanced', loss: 'squared-hinge', tolerance: opts.tolerance ?? 1e-4 });
      const scores = data.candidates.map((i) => {
        const x = data.tfidf[i]!;
        let s = model.bias;
        for (let k = 0; k < x.indices.length; k++) s += model.weights[x.indices[k]] * x.values[k];
        return s;
      });
      return sortedRanking(data.candidates, scores);
    },
  };
}

/** zotero-arxiv-daily's weight of the library item at `rank` (0 = newest): 1 / (1 + log10(rank + 1)). */
export function zoteroRecencyWeight(rank: number): number {
  return 1 / (1 + Math.log10(rank + 1));
}

/**
 * zotero-arxiv-daily: each candidate's cosine similarity to every library paper (the default embedder's
 * vectors), averaged with the newest library items weighted most (weights normalized to sum 1).
 */
export function zoteroSimilarity(): EvalRanker {
  return {
    name: 'zotero-similarity',
    rank(reader, data) {
      // Newest first; the library is oldest first with ties in corpus order.
      const library = [...reader.library].reverse().filter((i) => data.papers[i].vector);
      const dims = library.length ? data.papers[library[0]].vector!.length : 0;
      const profile = new Float64Array(dims);
      let total = 0;
      library.forEach((i, rank) => (total += zoteroRecencyWeight(rank)));
      library.forEach((i, rank) => {
        const w = zoteroRecencyWeight(rank) / total;
        const v = data.papers[i].vector!;
        for (let k = 0; k < dims; k++) profile[k] += w * v[k];
      });
      // Σ_j w_j cos(c, l_j) = c · Σ_j w_j l_j for unit vectors: one dot product per candidate.
      const scores = data.candidates.map((i) => {
        const v = data.papers[i].vector;
        if (!v) return -Infinity;
        let s = 0;
        for (let k = 0; k < dims; k++) s += profile[k] * v[k];
        return s;
      });
      return sortedRanking(data.candidates, scores);
    },
  };
}

/** Newest first: the listing day, later days first, then the corpus order within a day (later first). */
export function newest(): EvalRanker {
  return {
    name: 'newest',
    rank(_reader, data) {
      const ids = [...data.candidates].sort((a, b) => (data.papers[a].day < data.papers[b].day ? 1 : data.papers[a].day > data.papers[b].day ? -1 : b - a));
      return { ids, scores: ids.map((_, i) => ids.length - i) };
    },
  };
}
