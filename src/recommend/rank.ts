/**
 * Paperboy's ranking: a reader model's features of a candidate pool blended into one score, and the
 * feature that contributed most turned into the reason. The blend is a weighted sum of features on
 * comparable scales (cosines and the term model's decision value); the weights were tuned on the
 * development cutoff of `paperboy eval --recommend` (docs/benchmarks.md, "Recommendations").
 */
import { poolFeatures, type PoolFeatures } from './features.ts';
import type { ReaderModel } from './model.ts';
import type { CandidatePool } from './pool.ts';
import { termWords, type Reason } from './reasons.ts';
import { normalizeAuthorName } from '../papers/normalize.ts';

/** How much each feature counts. */
export interface BlendWeights {
  terms: number;
  textNear: number;
  vectorNear: number;
  profile: number;
  category: number;
  avoid: number;
  /** Added for a followed author, and for a followed category. */
  followedAuthor: number;
  followedCategory: number;
}

/** The weights the product and the evaluation use. */
export const BLEND: BlendWeights = { terms: 2, textNear: 0.1, vectorNear: 0.25, profile: 2, category: 0.1, avoid: 1.5, followedAuthor: 1, followedCategory: 0.3 };

/** One candidate's place in a reader's ranking. */
export interface Scored {
  /** Index into the pool. */
  index: number;
  score: number;
}

/**
 * Each feature standardized over the pool (mean 0, standard deviation 1), so a weight means the same
 * for a reader with one paper as for one with a hundred, whose raw similarities differ in scale.
 */
export function standardized(x: Float32Array): Float32Array {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n || 1;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - mean) ** 2;
  const sd = Math.sqrt(v / (n || 1));
  const out = new Float32Array(n);
  if (sd > 1e-9) for (let i = 0; i < n; i++) out[i] = (x[i] - mean) / sd;
  return out;
}

/** The blended score of every candidate before mutes and follows (standardized features, weighted). */
export function blendFeatures(features: PoolFeatures, weights: BlendWeights): Float32Array {
  const n = features.terms.length;
  const out = new Float32Array(n);
  const add = (x: Float32Array, w: number) => {
    if (w === 0) return;
    const z = standardized(x);
    for (let i = 0; i < n; i++) out[i] += w * z[i];
  };
  add(features.terms, weights.terms);
  add(features.textNear, weights.textNear);
  add(features.vectorNear, weights.vectorNear);
  add(features.profile, weights.profile);
  add(features.category, weights.category);
  // "Not interested" stays raw: zero for a reader with none, large only near a dismissed paper.
  for (let i = 0; i < n; i++) out[i] -= weights.avoid * features.avoid[i] * 4;
  return out;
}

/** Scores every candidate; muted ones (papers, authors, terms) and "not interested" ones get -Infinity. */
export function scorePool(model: ReaderModel, pool: CandidatePool, weights: BlendWeights = BLEND, features: PoolFeatures = poolFeatures(model, pool)): Float32Array {
  const n = pool.papers.length;
  const scores = blendFeatures(features, weights);
  const hidden = hiddenCandidates(model, pool);
  const followedAuthors = new Set(model.follows.authors.map(normalizeAuthorName));
  const followedCategories = new Set(model.follows.categories);
  for (let i = 0; i < n; i++) {
    if (hidden[i]) {
      scores[i] = -Infinity;
      continue;
    }
    if (followedAuthors.size > 0 && pool.authors[i].some((a) => followedAuthors.has(a))) scores[i] += weights.followedAuthor;
    if (followedCategories.size > 0 && pool.categories[i].some((c) => followedCategories.has(c))) scores[i] += weights.followedCategory;
  }
  return scores;
}

/** 1 for candidates the reader has said never to show: muted paper, author or term, or "not interested". */
export function hiddenCandidates(model: ReaderModel, pool: CandidatePool): Uint8Array {
  const hidden = new Uint8Array(pool.papers.length);
  const papers = new Set([...model.mutes.papers, ...model.antiSeeds.map((s) => s.id)]);
  const authors = new Set(model.mutes.authors.map(normalizeAuthorName));
  const terms = model.mutes.terms.map((t) => t.toLowerCase()).filter((t) => t.length > 0);
  pool.papers.forEach((p, i) => {
    if (papers.has(p.id) || (authors.size > 0 && pool.authors[i].some((a) => authors.has(a)))) hidden[i] = 1;
    else if (terms.length > 0) {
      const text = `${p.title} ${p.abstract}`.toLowerCase();
      if (terms.some((t) => text.includes(t))) hidden[i] = 1;
    }
  });
  return hidden;
}

/** The `limit` best candidates, best first, hidden ones left out. */
export function topCandidates(scores: Float32Array, limit: number): Scored[] {
  const order: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] > -Infinity) order.push(i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, limit).map((index) => ({ index, score: scores[index] }));
}

/**
 * Why candidate `i` ranks where it does: its positive contributions (nearest seed, matching terms,
 * followed author or category, a category of the reader's), largest first, each with its share.
 */
export function explain(model: ReaderModel, pool: CandidatePool, features: PoolFeatures, i: number, vocabularyTerms: readonly string[], weights: BlendWeights = BLEND): Reason[] {
  const parts: Reason[] = [];
  const seedIndex = features.vectorSeed[i] >= 0 && features.vectorNear[i] * weights.vectorNear > features.textNear[i] * weights.textNear ? features.vectorSeed[i] : features.textSeed[i];
  const near = Math.max(features.vectorNear[i] * weights.vectorNear, features.textNear[i] * weights.textNear);
  if (seedIndex >= 0 && near > 0) {
    const seed = model.seeds[seedIndex];
    parts.push({ kind: 'similar', paper: { id: seed.id, title: seed.title }, signal: seed.kind, share: near });
  }
  const matched = matchingTerms(model, pool, i, vocabularyTerms);
  if (matched.terms.length > 0) parts.push({ kind: 'terms', terms: matched.terms, share: weights.terms * matched.contribution });
  const followed = new Set(model.follows.authors.map(normalizeAuthorName));
  const k = pool.authors[i].findIndex((a) => followed.has(a));
  if (k >= 0) parts.push({ kind: 'author', name: pool.papers[i].authors?.[k] ?? pool.authors[i][k], share: weights.followedAuthor });
  const followedCategory = pool.categories[i].find((c) => model.follows.categories.includes(c));
  if (followedCategory) parts.push({ kind: 'category', category: followedCategory, followed: true, share: weights.followedCategory });
  else if (features.categoryAt[i] >= 0 && features.category[i] > 0)
    parts.push({ kind: 'category', category: pool.categories[i][features.categoryAt[i]], followed: false, share: weights.category * features.category[i] });
  const total = parts.reduce((s, r) => s + Math.max(0, r.share), 0) || 1;
  return parts.map((r) => ({ ...r, share: Math.max(0, r.share) / total })).sort((a, b) => b.share - a.share);
}

/** The model's positively weighted terms the candidate contains, strongest contribution first (at most 3). */
export function matchingTerms(model: ReaderModel, pool: CandidatePool, i: number, vocabularyTerms: readonly string[]): { terms: string[]; contribution: number } {
  const x = pool.tfidf[i];
  const { indices, weights } = model.terms;
  const found: { term: string; c: number }[] = [];
  let a = 0;
  let b = 0;
  let contribution = 0;
  while (a < x.indices.length && b < indices.length) {
    if (x.indices[a] === indices[b]) {
      const c = x.values[a] * weights[b];
      if (c > 0) {
        found.push({ term: vocabularyTerms[indices[b]], c });
        contribution += c;
      }
      a++;
      b++;
    } else if (x.indices[a] < indices[b]) a++;
    else b++;
  }
  found.sort((p, q) => q.c - p.c);
  // Three different terms: "diffusion models" says nothing "diffusion" did not.
  const shown: string[] = [];
  const used = new Set<string>();
  for (const { term } of found) {
    const words = termWords(term);
    if (words.some((w) => used.has(w))) continue;
    shown.push(term);
    words.forEach((w) => used.add(w));
    if (shown.length === 3) break;
  }
  return { terms: shown, contribution };
}
