import { gram, multiplySmall, type DenseMatrix } from './sparse.ts';

/**
 * Eigen-decomposition of a small symmetric matrix (k × k, row-major) by cyclic Jacobi rotations.
 * Returns eigenvalues in descending order and the matching eigenvectors as columns of a k × k matrix.
 */
export function symmetricEigen(matrix: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) (i === j ? (total += a[i * k + j] ** 2) : (off += a[i * k + j] ** 2));
    if (off <= 1e-22 * (total + off)) break;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p];
          const arq = a[r * k + q];
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r];
          const aqr = a[q * k + r];
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => a[y * k + y] - a[x * k + x]);
  const values = Float64Array.from(order, (i) => a[i * k + i]);
  const vectors = new Float64Array(k * k);
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) vectors[r * k + c] = v[r * k + order[c]];
  return { values, vectors };
}

/** Upper-triangular Cholesky factor R (G = RᵀR) of a symmetric positive-definite k × k matrix. */
function cholesky(g: Float64Array, k: number): Float64Array {
  const r = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let s = g[i * k + j];
      for (let p = 0; p < i; p++) s -= r[p * k + i] * r[p * k + j];
      if (i === j) {
        // A tiny ridge keeps a nearly rank-deficient block usable; the second pass cleans up.
        r[i * k + i] = Math.sqrt(Math.max(s, 1e-12 * g[i * k + i] + 1e-300));
      } else {
        r[i * k + j] = s / r[i * k + i];
      }
    }
  }
  return r;
}

/** Inverse of an upper-triangular k × k matrix. */
function invertUpper(r: Float64Array, k: number): Float64Array {
  const inv = new Float64Array(k * k);
  for (let j = k - 1; j >= 0; j--) {
    inv[j * k + j] = 1 / r[j * k + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let p = i + 1; p <= j; p++) s += r[i * k + p] * inv[p * k + j];
      inv[i * k + j] = -s / r[i * k + i];
    }
  }
  return inv;
}

/**
 * Orthonormal basis of the columns of a tall n × k matrix by Cholesky QR; a second pass (the default)
 * restores orthogonality lost to rounding when the columns are far from orthogonal.
 */
export function orthonormalize(y: DenseMatrix, passes = 2): DenseMatrix {
  let q = y;
  for (let pass = 0; pass < passes; pass++) {
    const r = cholesky(gram(q), q.cols);
    q = multiplySmall(q, invertUpper(r, q.cols), q.cols);
  }
  return q;
}
