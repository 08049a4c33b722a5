import { orthonormalize, symmetricEigen } from './linalg.ts';
import { gram, multiply, multiplySmall, multiplyTransposed, type CsrMatrix, type DenseMatrix } from './sparse.ts';

/** The leading singular triplets' left side: A ≈ U diag(S) Vᵀ, keeping U (rows × rank) and S. */
export interface TruncatedSvd {
  u: DenseMatrix;
  singularValues: Float64Array;
}

/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, algorithm 4.4 with subspace iteration):
 * project on a random block, sharpen with power iterations, then solve the small problem exactly.
 */
export function randomizedSvd(
  a: CsrMatrix,
  rank: number,
  opts: { oversample?: number; powerIterations?: number; seed?: number; onStep?: (step: string) => void } = {},
): TruncatedSvd {
  const l = Math.min(rank + (opts.oversample ?? 16), a.rows, a.cols);
  const random = gaussian(opts.seed ?? 1);
  const omega: DenseMatrix = { rows: a.cols, cols: l, data: Float64Array.from({ length: a.cols * l }, random) };
  // Within the power iterations one Cholesky-QR pass suffices (each product only spreads the columns by
  // σ1/σl); the basis the small problem is solved in gets the full two passes.
  const iterations = opts.powerIterations ?? 3;
  let q = orthonormalize(multiply(a, omega), iterations > 0 ? 1 : 2);
  for (let i = 0; i < iterations; i++) {
    opts.onStep?.(`power iteration ${i + 1}`);
    const z = orthonormalize(multiplyTransposed(a, q), 1);
    q = orthonormalize(multiply(a, z), i === iterations - 1 ? 2 : 1);
  }
  // B = QᵀA is l × cols; its left singular vectors are the eigenvectors of BBᵀ = (AᵀQ)ᵀ(AᵀQ).
  const bt = multiplyTransposed(a, q);
  const { values, vectors } = symmetricEigen(gram(bt), l);
  const k = Math.min(rank, l);
  const top = new Float64Array(l * k);
  for (let r = 0; r < l; r++) for (let c = 0; c < k; c++) top[r * k + c] = vectors[r * l + c];
  return { u: multiplySmall(q, top, k), singularValues: Float64Array.from(values.subarray(0, k), (v) => Math.sqrt(Math.max(v, 0))) };
}

/** Standard normal numbers from a seeded generator (mulberry32 + Box–Muller), so training is repeatable. */
export function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}
