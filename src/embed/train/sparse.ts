/** A sparse matrix in compressed-row form (the PPMI matrix the word vectors are factored from). */
export interface CsrMatrix {
  rows: number;
  cols: number;
  /** rowStart[i]..rowStart[i+1] index the entries of row i. */
  rowStart: Float64Array;
  colIndex: Uint32Array;
  values: Float32Array;
}

/** A dense row-major matrix of float64 values. */
export interface DenseMatrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** A × X for sparse A (r × c) and dense X (c × k). */
export function multiply(a: CsrMatrix, x: DenseMatrix): DenseMatrix {
  if (x.rows !== a.cols) throw new Error(`multiply: ${a.rows}×${a.cols} by ${x.rows}×${x.cols}`);
  const k = x.cols;
  const out = new Float64Array(a.rows * k);
  const xd = x.data;
  for (let i = 0; i < a.rows; i++) {
    const o = i * k;
    for (let p = a.rowStart[i]; p < a.rowStart[i + 1]; p++) {
      const v = a.values[p];
      const xo = a.colIndex[p] * k;
      for (let t = 0; t < k; t++) out[o + t] += v * xd[xo + t];
    }
  }
  return { rows: a.rows, cols: k, data: out };
}

/** Aᵀ × X for sparse A (r × c) and dense X (r × k), without building Aᵀ. */
export function multiplyTransposed(a: CsrMatrix, x: DenseMatrix): DenseMatrix {
  if (x.rows !== a.rows) throw new Error(`multiplyTransposed: (${a.rows}×${a.cols})ᵀ by ${x.rows}×${x.cols}`);
  const k = x.cols;
  const out = new Float64Array(a.cols * k);
  const xd = x.data;
  for (let i = 0; i < a.rows; i++) {
    const xo = i * k;
    for (let p = a.rowStart[i]; p < a.rowStart[i + 1]; p++) {
      const v = a.values[p];
      const o = a.colIndex[p] * k;
      for (let t = 0; t < k; t++) out[o + t] += v * xd[xo + t];
    }
  }
  return { rows: a.cols, cols: k, data: out };
}

/** XᵀX (k × k) of a dense n × k matrix. */
export function gram(x: DenseMatrix): Float64Array {
  const { rows: n, cols: k, data } = x;
  const g = new Float64Array(k * k);
  for (let r = 0; r < n; r++) {
    const o = r * k;
    for (let a = 0; a < k; a++) {
      const va = data[o + a];
      if (va === 0) continue;
      const ga = a * k;
      for (let b = a; b < k; b++) g[ga + b] += va * data[o + b];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) g[a * k + b] = g[b * k + a];
  return g;
}

/** X × S for dense X (n × k) and a small dense S (k × m, row-major). */
export function multiplySmall(x: DenseMatrix, s: Float64Array, m: number): DenseMatrix {
  const { rows: n, cols: k, data } = x;
  const out = new Float64Array(n * m);
  for (let r = 0; r < n; r++) {
    const xo = r * k;
    const oo = r * m;
    for (let a = 0; a < k; a++) {
      const v = data[xo + a];
      if (v === 0) continue;
      const so = a * m;
      for (let b = 0; b < m; b++) out[oo + b] += v * s[so + b];
    }
  }
  return { rows: n, cols: m, data: out };
}
