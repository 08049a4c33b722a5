/**
 * A reader model's features of every candidate in a pool, computed together: the term model's score,
 * the nearest seed paper by text and by vector (and which seed it is, for the reasons), the profile
 * similarity, the category lift, the nearest "not interested" paper. Each is one Float32Array over the
 * pool, so blending and explaining are plain array arithmetic.
 */
import { loadUsearch } from '../search/hnsw.ts';
import type { ReaderModel } from './model.ts';
import { addSparseDots, denseDots, type CandidatePool } from './pool.ts';

/** The features, one value per candidate each. */
export interface PoolFeatures {
  /** Term SVM decision value. */
  terms: Float32Array;
  /** Largest tf-idf cosine to a seed, and that seed's index. */
  textNear: Float32Array;
  textSeed: Int32Array;
  /** Largest vector cosine to a seed, and that seed's index (-1 without vectors). */
  vectorNear: Float32Array;
  vectorSeed: Int32Array;
  /** Cosine to the reader's profile vector. */
  profile: Float32Array;
  /** Largest category lift among the candidate's categories, and that category's index in its list. */
  category: Float32Array;
  categoryAt: Int32Array;
  /** Largest similarity (mean of text and vector cosine) to a "not interested" paper. */
  avoid: Float32Array;
}

/** Computes every feature of every candidate for one model. */
export function poolFeatures(model: ReaderModel, pool: CandidatePool): PoolFeatures {
  const n = pool.papers.length;
  const terms = new Float32Array(n).fill(model.bias);
  addSparseDots(pool, model.terms.indices, model.terms.weights, 1, terms);

  const scratch = new Float32Array(n);
  const near = (seeds: ReaderModel['seeds']) => {
    const textNear = new Float32Array(n);
    const textSeed = new Int32Array(n).fill(-1);
    const vectorNear = new Float32Array(n);
    const vectorSeed = new Int32Array(n).fill(-1);
    seeds.forEach((seed, s) => {
      scratch.fill(0);
      addSparseDots(pool, seed.terms.indices, seed.terms.values, 1, scratch);
      for (let i = 0; i < n; i++)
        if (scratch[i] > textNear[i]) {
          textNear[i] = scratch[i];
          textSeed[i] = s;
        }
    });
    nearestByVector(pool, seeds, vectorNear, vectorSeed);
    return { textNear, textSeed, vectorNear, vectorSeed };
  };
  const { textNear, textSeed, vectorNear, vectorSeed } = near(model.seeds);

  const profile = new Float32Array(n);
  if (model.profile.length === pool.dimensions && pool.dimensions > 0) denseDots(pool, model.profile, profile);

  const category = new Float32Array(n);
  const categoryAt = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    let best = 0;
    pool.categories[i].forEach((c, k) => {
      const lift = model.categories.get(c);
      if (lift !== undefined && (categoryAt[i] < 0 || lift > best)) {
        best = lift;
        categoryAt[i] = k;
      }
    });
    // A category the reader never had counts as the lowest lift they have.
    category[i] = categoryAt[i] >= 0 ? best : unseenLift(model);
  }

  const avoid = new Float32Array(n);
  if (model.antiSeeds.length > 0) {
    const anti = near(model.antiSeeds);
    for (let i = 0; i < n; i++) avoid[i] = anti.vectorSeed[i] >= 0 ? (anti.textNear[i] + anti.vectorNear[i]) / 2 : anti.textNear[i];
  }
  return { terms, textNear, textSeed, vectorNear, vectorSeed, profile, category, categoryAt, avoid };
}

/**
 * Every candidate's largest vector cosine to a seed with a vector, and that seed's index (-1: none): by
 * usearch's exact search (SIMD, about 9× a JavaScript pass per seed for a library of dozens of papers),
 * else (`native` null, as where usearch cannot load) by one pool.ts#denseDots pass per seed.
 */
export function nearestByVector(pool: Pick<CandidatePool, 'dimensions' | 'vectors' | 'hasVector'>, seeds: readonly { vector?: Float32Array }[], near: Float32Array, which: Int32Array, native = loadUsearch()): void {
  const d = pool.dimensions;
  const withVector = d > 0 ? seeds.flatMap((seed, s) => (seed.vector?.length === d ? [s] : [])) : [];
  if (withVector.length === 0) return;
  if (native) {
    const flat = new Float32Array(withVector.length * d);
    withVector.forEach((s, j) => flat.set(seeds[s].vector!, j * d));
    // One thread: each candidate's best seed by inner product (distance 1 − dot).
    const found = native.exactSearch(flat, pool.vectors, d, 1, native.MetricKind.IP, 1) as InstanceType<typeof native.BatchMatches>;
    for (let i = 0; i < near.length; i++) {
      if (!pool.hasVector[i]) continue;
      near[i] = 1 - found.distances[i];
      which[i] = withVector[Number(found.keys[i])];
    }
    return;
  }
  const dots = new Float32Array(near.length);
  for (const s of withVector) {
    denseDots(pool, seeds[s].vector!, dots);
    for (let i = 0; i < near.length; i++)
      if (pool.hasVector[i] && (which[i] < 0 || dots[i] > near[i])) {
        near[i] = dots[i];
        which[i] = s;
      }
  }
}

/** The lift a category outside the reader's papers gets: below every category they have. */
export function unseenLift(model: ReaderModel): number {
  let min = 0;
  for (const v of model.categories.values()) min = Math.min(min, v);
  return min - 1;
}
