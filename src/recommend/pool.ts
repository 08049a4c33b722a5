/**
 * A day's candidates prepared once for every reader: tf-idf vectors and an inverted index over them
 * (a reader's terms and seed papers meet only the candidates that share a term), the vectors in one
 * row-major matrix, categories and authors as small integer ids. Ranking 10,000 readers reuses this.
 */
import { normalizeAuthorName } from '../papers/normalize.ts';
import type { CandidatePaper } from './signals.ts';
import { vectorize, type SparseVector, type Vocabulary } from './tfidf.ts';

/** Prepared candidates. */
export interface CandidatePool {
  papers: readonly CandidatePaper[];
  tfidf: SparseVector[];
  /** feature → candidates having it, and the candidate's value there (CSR by feature). */
  postingsStart: Int32Array;
  postingsPaper: Int32Array;
  postingsValue: Float32Array;
  /** Row i is candidate i's unit vector (zeros when it has none). */
  vectors: Float32Array;
  hasVector: Uint8Array;
  dimensions: number;
  /** Each candidate's categories and normalized author names. */
  categories: string[][];
  authors: string[][];
}

/**
 * Prepares candidates against a vocabulary. Vectors of another size than the first one found are
 * ignored (a store mid-way through a change of embedder).
 */
export function prepareCandidates(papers: readonly CandidatePaper[], vocabulary: Vocabulary): CandidatePool {
  const tfidf = papers.map((p) => vectorize(vocabulary, `${p.title} ${p.abstract}`));
  const F = vocabulary.terms.length;
  const postingsStart = new Int32Array(F + 1);
  for (const x of tfidf) for (const f of x.indices) postingsStart[f + 1]++;
  for (let f = 0; f < F; f++) postingsStart[f + 1] += postingsStart[f];
  const fill = postingsStart.slice(0, F);
  const postingsPaper = new Int32Array(postingsStart[F]);
  const postingsValue = new Float32Array(postingsStart[F]);
  tfidf.forEach((x, i) => {
    for (let k = 0; k < x.indices.length; k++) {
      const at = fill[x.indices[k]]++;
      postingsPaper[at] = i;
      postingsValue[at] = x.values[k];
    }
  });
  const dimensions = papers.find((p) => p.vector)?.vector?.length ?? 0;
  const vectors = new Float32Array(papers.length * dimensions);
  const hasVector = new Uint8Array(papers.length);
  papers.forEach((p, i) => {
    if (p.vector && p.vector.length === dimensions) {
      vectors.set(p.vector, i * dimensions);
      hasVector[i] = 1;
    }
  });
  return {
    papers,
    tfidf,
    postingsStart,
    postingsPaper,
    postingsValue,
    vectors,
    hasVector,
    dimensions,
    categories: papers.map((p) => [...p.categories]),
    authors: papers.map((p) => (p.authors ?? []).map(normalizeAuthorName)),
  };
}

/**
 * Adds `scale · (x · candidate)` to `out[candidate]` for every candidate sharing a feature with `x`:
 * a sparse vector's dot products with the whole pool through the inverted index.
 */
export function addSparseDots(pool: CandidatePool, indices: ArrayLike<number>, values: ArrayLike<number>, scale: number, out: Float32Array): void {
  const { postingsStart, postingsPaper, postingsValue } = pool;
  for (let k = 0; k < indices.length; k++) {
    const f = indices[k];
    const v = values[k] * scale;
    for (let p = postingsStart[f], end = postingsStart[f + 1]; p < end; p++) out[postingsPaper[p]] += v * postingsValue[p];
  }
}

/** Every candidate's dot product with a dense vector of the pool's dimensions. */
export function denseDots(pool: Pick<CandidatePool, 'dimensions' | 'vectors'>, v: ArrayLike<number>, out: Float32Array): void {
  const d = pool.dimensions;
  const m = pool.vectors;
  for (let i = 0, row = 0; i < out.length; i++, row += d) {
    let s = 0;
    for (let k = 0; k < d; k++) s += m[row + k] * v[k];
    out[i] = s;
  }
}
