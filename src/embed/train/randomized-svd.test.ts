import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orthonormalize, symmetricEigen } from './linalg.ts';
import { gaussian, randomizedSvd } from './randomized-svd.ts';
import { gram, type CsrMatrix } from './sparse.ts';

/** A random sparse rows × cols matrix with a few strong directions, in CSR form, plus its dense copy. */
function sparseLowRank(rows: number, cols: number, seed: number): { csr: CsrMatrix; dense: Float64Array } {
  const rand = gaussian(seed);
  const dense = new Float64Array(rows * cols);
  for (let f = 0; f < 4; f++) {
    const u = Array.from({ length: rows }, rand);
    const v = Array.from({ length: cols }, rand);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) dense[i * cols + j] += (10 - 2 * f) * u[i] * v[j];
  }
  for (let i = 0; i < dense.length; i++) if (Math.abs(rand()) > 1.2) dense[i] = 0;
  const rowStart = new Float64Array(rows + 1);
  const colIndex: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) if (dense[i * cols + j] !== 0) colIndex.push(j), values.push(dense[i * cols + j]);
    rowStart[i + 1] = colIndex.length;
  }
  return { csr: { rows, cols, rowStart, colIndex: Uint32Array.from(colIndex), values: Float32Array.from(values) }, dense };
}

describe('randomized SVD', () => {
  it('finds the leading singular values of a sparse matrix', () => {
    const rows = 120;
    const cols = 90;
    const { csr, dense } = sparseLowRank(rows, cols, 7);
    // Exact answer: eigenvalues of AAᵀ are the squared singular values.
    const aat = new Float64Array(rows * rows);
    for (let i = 0; i < rows; i++) for (let j = 0; j < rows; j++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += dense[i * cols + c] * dense[j * cols + c];
      aat[i * rows + j] = s;
    }
    const exact = symmetricEigen(aat, rows).values.slice(0, 6).map((v) => Math.sqrt(v));
    const svd = randomizedSvd(csr, 6, { oversample: 10, powerIterations: 4 });
    for (let i = 0; i < 6; i++) assert.ok(Math.abs(svd.singularValues[i] - exact[i]) < 1e-3 * exact[0], `σ${i}: ${svd.singularValues[i]} vs ${exact[i]}`);
    // U has orthonormal columns.
    const g = gram(svd.u);
    for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) assert.ok(Math.abs(g[a * 6 + b] - (a === b ? 1 : 0)) < 1e-8);
  });

  it('orthonormalizes a tall block', () => {
    const rand = gaussian(3);
    const q = orthonormalize({ rows: 500, cols: 12, data: Float64Array.from({ length: 6000 }, rand) });
    const g = gram(q);
    for (let a = 0; a < 12; a++) for (let b = 0; b < 12; b++) assert.ok(Math.abs(g[a * 12 + b] - (a === b ? 1 : 0)) < 1e-10);
  });
});
