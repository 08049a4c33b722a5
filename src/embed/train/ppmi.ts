import type { CsrMatrix } from './sparse.ts';

/**
 * Positive pointwise mutual information of a co-occurrence matrix, with context-distribution
 * smoothing (context counts raised to `alpha`, Levy, Goldberg & Dagan 2015) and an optional shift
 * (log k subtracted). Entries that end up ≤ 0 are dropped.
 */
export function ppmi(counts: CsrMatrix, opts: { alpha?: number; shift?: number } = {}): CsrMatrix {
  const alpha = opts.alpha ?? 0.75;
  const shift = Math.log(opts.shift ?? 1);
  const n = counts.rows;
  const rowSum = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let p = counts.rowStart[i]; p < counts.rowStart[i + 1]; p++) rowSum[i] += counts.values[p];
    total += rowSum[i];
  }
  let smoothedTotal = 0;
  const contextLog = new Float64Array(n);
  for (let j = 0; j < n; j++) smoothedTotal += rowSum[j] ** alpha;
  for (let j = 0; j < n; j++) contextLog[j] = alpha * Math.log(rowSum[j] || 1) - Math.log(smoothedTotal);
  const rowStart = new Float64Array(n + 1);
  const colIndex = new Uint32Array(counts.colIndex.length);
  const values = new Float32Array(counts.values.length);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    const rowLog = Math.log(rowSum[i] || 1) - Math.log(total);
    for (let p = counts.rowStart[i]; p < counts.rowStart[i + 1]; p++) {
      const j = counts.colIndex[p];
      const pmi = Math.log(counts.values[p] / total) - rowLog - contextLog[j] - shift;
      if (pmi > 0) {
        colIndex[nnz] = j;
        values[nnz++] = pmi;
      }
    }
    rowStart[i + 1] = nnz;
  }
  return { rows: n, cols: n, rowStart, colIndex: colIndex.slice(0, nnz), values: values.slice(0, nnz) };
}
