/**
 * A linear support vector machine on sparse features, trained by dual coordinate descent with shrinking
 * (Hsieh et al. 2008, liblinear's `solve_l2r_l1l2_svc`): L2-regularized hinge or squared-hinge loss, a
 * cost per sample (class weights, sample weights) and a bias learned as one more, regularized, feature of
 * value `bias` (liblinear's `-B`, scikit-learn's `intercept_scaling`). scikit-learn's
 * `LinearSVC(C, class_weight='balanced')` — what arxiv-sanity-lite trains — is the squared hinge with
 * C_i = C · n / (2 · n_class(i)).
 */
import { seededRandom } from '../search/eval/random.ts';
import type { SparseVector } from './tfidf.ts';

/** How to train. */
export interface SvmOptions {
  C: number;
  /** `squared-hinge` is LinearSVC's default (L2-loss SVM); `hinge` the classic L1-loss SVM. */
  loss?: 'hinge' | 'squared-hinge';
  /** `balanced` weights each class by n / (2 · its count), as scikit-learn does. */
  classWeight?: 'balanced' | { positive: number; negative: number };
  /** Extra per-sample weights multiplying C (1 when absent). */
  sampleWeights?: ArrayLike<number>;
  /** The constant feature value for the bias (1 as in LinearSVC; 0 for no bias). */
  bias?: number;
  /** Stop when the projected gradient's spread is below this (liblinear's eps; scikit-learn's tol). */
  tolerance?: number;
  maxIterations?: number;
  seed?: number;
}

/** A trained linear model: decision = weights · x + bias. */
export interface LinearModel {
  weights: Float64Array;
  bias: number;
  /** Passes over the data until convergence (or maxIterations). */
  iterations: number;
}

/**
 * Trains on `samples` (one sparse vector each, feature indexes < `dimensions`) with `labels` true for the
 * positive class. Throws when either class is missing: there is nothing to separate.
 */
export function trainLinearSvm(samples: readonly SparseVector[], labels: ArrayLike<boolean>, dimensions: number, opts: SvmOptions): LinearModel {
  const n = samples.length;
  if (labels.length !== n) throw new Error(`svm: ${n} samples but ${labels.length} labels`);
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i]) positives++;
  if (positives === 0 || positives === n) throw new Error(`svm: need both classes, got ${positives} positive of ${n}`);
  const squared = (opts.loss ?? 'squared-hinge') === 'squared-hinge';
  const B = opts.bias ?? 1;
  const eps = opts.tolerance ?? 1e-4;
  const maxIterations = opts.maxIterations ?? 1000;
  const weightOf = classWeights(opts.classWeight, positives, n - positives);

  const w = new Float64Array(dimensions);
  let wb = 0;
  const y = new Int8Array(n);
  const alpha = new Float64Array(n);
  const diag = new Float64Array(n);
  const upper = new Float64Array(n);
  const QD = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = labels[i] ? 1 : -1;
    const Ci = opts.C * (labels[i] ? weightOf.positive : weightOf.negative) * (opts.sampleWeights?.[i] ?? 1);
    diag[i] = squared ? 0.5 / Ci : 0;
    upper[i] = squared ? Infinity : Ci;
    let sq = B * B;
    const v = samples[i].values;
    for (let k = 0; k < v.length; k++) sq += v[k] * v[k];
    QD[i] = sq + diag[i];
  }

  const random = seededRandom(opts.seed ?? 1);
  const index = Int32Array.from({ length: n }, (_, i) => i);
  let active = n;
  let PGmaxOld = Infinity;
  let PGminOld = -Infinity;
  let iterations = 0;
  while (iterations < maxIterations) {
    let PGmaxNew = -Infinity;
    let PGminNew = Infinity;
    for (let i = 0; i < active; i++) {
      const j = i + Math.floor(random() * (active - i));
      const t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    for (let s = 0; s < active; s++) {
      const i = index[s];
      const x = samples[i];
      const yi = y[i];
      let wx = wb * B;
      for (let k = 0; k < x.indices.length; k++) wx += w[x.indices[k]] * x.values[k];
      const G = yi * wx - 1 + alpha[i] * diag[i];
      let PG = 0;
      if (alpha[i] === 0) {
        if (G > PGmaxOld) {
          active--;
          index[s] = index[active];
          index[active] = i;
          s--;
          continue;
        } else if (G < 0) PG = G;
      } else if (alpha[i] === upper[i]) {
        if (G < PGminOld) {
          active--;
          index[s] = index[active];
          index[active] = i;
          s--;
          continue;
        } else if (G > 0) PG = G;
      } else PG = G;
      if (PG > PGmaxNew) PGmaxNew = PG;
      if (PG < PGminNew) PGminNew = PG;
      if (Math.abs(PG) > 1e-12) {
        const old = alpha[i];
        alpha[i] = Math.min(Math.max(old - G / QD[i], 0), upper[i]);
        const d = (alpha[i] - old) * yi;
        for (let k = 0; k < x.indices.length; k++) w[x.indices[k]] += d * x.values[k];
        wb += d * B;
      }
    }
    iterations++;
    if (PGmaxNew - PGminNew <= eps) {
      if (active === n) break;
      // Converged on the active set: check everything once more before stopping.
      active = n;
      PGmaxOld = Infinity;
      PGminOld = -Infinity;
      continue;
    }
    PGmaxOld = PGmaxNew <= 0 ? Infinity : PGmaxNew;
    PGminOld = PGminNew >= 0 ? -Infinity : PGminNew;
  }
  return { weights: w, bias: wb * B, iterations };
}

function classWeights(spec: SvmOptions['classWeight'], positives: number, negatives: number): { positive: number; negative: number } {
  if (spec === undefined) return { positive: 1, negative: 1 };
  if (spec === 'balanced') {
    const n = positives + negatives;
    return { positive: n / (2 * positives), negative: n / (2 * negatives) };
  }
  return spec;
}

/** The model's decision value for one sample. */
export function decision(model: LinearModel, x: SparseVector): number {
  let s = model.bias;
  for (let k = 0; k < x.indices.length; k++) s += model.weights[x.indices[k]] * x.values[k];
  return s;
}
