/**
 * A reader's model, trained from their signals against the store's background papers: a linear SVM over
 * tf-idf 1–2-grams (what the reader's papers say that other papers do not), the seed papers it is near
 * (text and vector), a recency-weighted profile vector, and category lifts. Everything in it is what the
 * ranking reads and what the reasons quote; it serializes to JSON (model-json.ts).
 */
import { dot } from '../embed/embedder.ts';
import { trainLinearSvm } from './linear-svm.ts';
import { SIGNAL_WEIGHTS, type ReaderSignals, type SignalKind, type SignalPaper } from './signals.ts';
import { vectorize, type SparseVector, type Vocabulary } from './tfidf.ts';

/** The shared, per-store part: one vocabulary and a sample of papers standing for "everything else". */
export interface RecommendContext {
  vocabulary: Vocabulary;
  /** A short hash of the vocabulary's terms: a model made under another vocabulary must be retrained. */
  vocabularyId: string;
  /** Background papers' tf-idf: the negatives of every reader's term model. */
  background: SparseVector[];
  /** Share of background papers in each category (the base rate category lifts are against). */
  categoryRate: Map<string, number>;
  /** The embedder the vectors come from, or null when there are none. */
  embedder: string | null;
}

/** The tuned constants of training and ranking; MODEL_SETTINGS is what the product uses. */
export interface ModelSettings {
  /** A positive signal's weight halves every this many days before `now`. */
  halfLifeDays: number;
  /** …but never falls below this share of its full weight. */
  minRecency: number;
  /** The term SVM's C (per positive, scaled by class balance). */
  C: number;
  /** How much more a "not interested" paper weighs than a background paper in the term model. */
  negativeWeight: number;
  /** Terms kept in a model (largest |weight|). */
  maxTerms: number;
  /** Seed papers kept, the heaviest (most recent) first. */
  maxSeeds: number;
  /** Terms kept per seed paper's tf-idf (its largest values). */
  seedTerms: number;
  /** Category smoothing: pseudo-papers at the base rate. */
  categoryPrior: number;
}

/** The settings tuned on the development cutoff (docs/benchmarks.md, "Recommendations"). */
export const MODEL_SETTINGS: ModelSettings = {
  halfLifeDays: 120,
  minRecency: 0.2,
  C: 0.5,
  negativeWeight: 3,
  maxTerms: 1500,
  maxSeeds: 48,
  seedTerms: 60,
  categoryPrior: 2,
};

/** A seed paper as the model keeps it. */
export interface ModelSeed {
  id: string;
  title: string;
  /** The signal it came from (reasons say "you saved", "you upvoted"). */
  kind: SignalKind;
  weight: number;
  /** Its strongest tf-idf features (vocabulary indexes ascending) with their values. */
  terms: SparseVector;
  vector?: Float32Array;
}

/** A trained reader model. */
export interface ReaderModel {
  version: 1;
  vocabularyId: string;
  embedder: string | null;
  trainedAt: string;
  /** The term model: vocabulary indexes ascending and their weights, plus its bias. */
  terms: { indices: Int32Array; weights: Float32Array };
  bias: number;
  seeds: ModelSeed[];
  /** "Not interested" papers, as seeds to stay away from. */
  antiSeeds: ModelSeed[];
  /** Recency-weighted mean of the seed vectors (zotero-style profile), unit length; empty without vectors. */
  profile: Float32Array;
  /** Category → log lift over the base rate, for categories of the reader's papers. */
  categories: Map<string, number>;
  follows: { authors: string[]; categories: string[]; organizations: string[] };
  mutes: { terms: string[]; papers: string[]; authors: string[] };
  /** How many positive and negative signals it was trained from. */
  counts: { positives: number; negatives: number };
}

const DAY_MS = 86_400_000;

/** The recency factor of a signal given at `at` as of `now`. */
export function recencyWeight(at: string, now: Date, s: Pick<ModelSettings, 'halfLifeDays' | 'minRecency'>): number {
  const t = Date.parse(at.length === 10 ? `${at}T00:00:00Z` : at);
  const ageDays = Number.isFinite(t) ? Math.max(0, (now.getTime() - t) / DAY_MS) : 0;
  return Math.max(s.minRecency, 0.5 ** (ageDays / s.halfLifeDays));
}

/** A paper's tf-idf cut to its `keep` largest values (indexes ascending). */
export function strongestTerms(x: SparseVector, keep: number): SparseVector {
  if (x.indices.length <= keep) return x;
  const order = Array.from(x.indices.keys()).sort((a, b) => x.values[b] - x.values[a]).slice(0, keep).sort((a, b) => a - b);
  return { indices: Int32Array.from(order, (k) => x.indices[k]), values: Float32Array.from(order, (k) => x.values[k]) };
}

function textOf(p: { title: string; abstract: string }): string {
  return `${p.title} ${p.abstract}`;
}

/**
 * Trains a reader's model. `now` is when the ranking will happen (the cutoff in the evaluation); muted
 * papers are left out of the seeds. A reader with no positives gets a model that only follows, mutes and
 * "not interested" act through.
 */
export function trainReaderModel(signals: ReaderSignals, context: RecommendContext, now: Date, settings: ModelSettings = MODEL_SETTINGS): ReaderModel {
  const muted = new Set(signals.mutes.papers);
  const positives = signals.positives.filter((p) => !muted.has(p.id));
  const negatives = signals.negatives;
  const weightOf = (p: SignalPaper) => SIGNAL_WEIGHTS[p.kind] * (p.weight ?? 1) * recencyWeight(p.at, now, settings);
  const posWeights = positives.map(weightOf);
  const posTfidf = positives.map((p) => vectorize(context.vocabulary, textOf(p)));
  const negTfidf = negatives.map((p) => vectorize(context.vocabulary, textOf(p)));

  let terms: { indices: Int32Array; weights: Float32Array } = { indices: new Int32Array(0), weights: new Float32Array(0) };
  let bias = 0;
  if (positives.length > 0 && context.background.length + negatives.length > 0) {
    const samples = [...posTfidf, ...negTfidf, ...context.background];
    const labels = samples.map((_, i) => i < positives.length);
    // Positives are weighted by kind and recency, scaled so their total matches the class-balanced share.
    const meanPos = posWeights.reduce((a, b) => a + b, 0) / positives.length;
    const sampleWeights = samples.map((_, i) => (i < positives.length ? posWeights[i] / meanPos : i < positives.length + negatives.length ? settings.negativeWeight : 1));
    const svm = trainLinearSvm(samples, labels, context.vocabulary.terms.length, { C: settings.C, classWeight: 'balanced', loss: 'squared-hinge', sampleWeights, tolerance: 1e-3, maxIterations: 200 });
    terms = topWeights(svm.weights, settings.maxTerms);
    bias = svm.bias;
  }

  const seedOf = (p: SignalPaper, x: SparseVector, weight: number): ModelSeed => ({ id: p.id, title: p.title, kind: p.kind, weight, terms: strongestTerms(x, settings.seedTerms), vector: p.vector });
  const order = positives.map((_, i) => i).sort((a, b) => posWeights[b] - posWeights[a] || (positives[b].at < positives[a].at ? -1 : 1));
  const seeds = order.slice(0, settings.maxSeeds).map((i) => seedOf(positives[i], posTfidf[i], posWeights[i]));
  const antiSeeds = negatives.slice(-settings.maxSeeds).map((p, i) => seedOf(p, negTfidf[negTfidf.length - Math.min(negatives.length, settings.maxSeeds) + i], settings.negativeWeight));

  const dims = positives.find((p) => p.vector)?.vector?.length ?? 0;
  const profile = new Float32Array(dims);
  positives.forEach((p, i) => {
    if (p.vector?.length === dims) for (let k = 0; k < dims; k++) profile[k] += posWeights[i] * p.vector[k];
  });
  const norm = Math.sqrt(dot(profile, profile));
  if (norm > 0) for (let k = 0; k < dims; k++) profile[k] /= norm;

  return {
    version: 1,
    vocabularyId: context.vocabularyId,
    embedder: context.embedder,
    trainedAt: now.toISOString(),
    terms,
    bias,
    seeds,
    antiSeeds,
    profile,
    categories: categoryLifts(positives, posWeights, context.categoryRate, settings.categoryPrior),
    follows: { authors: [...signals.follows.authors], categories: [...signals.follows.categories], organizations: [...signals.follows.organizations] },
    mutes: { terms: [...signals.mutes.terms], papers: [...signals.mutes.papers], authors: [...signals.mutes.authors] },
    counts: { positives: positives.length, negatives: negatives.length },
  };
}

/** The `keep` weights of largest magnitude, as a sparse vector. */
function topWeights(weights: Float64Array, keep: number): { indices: Int32Array; weights: Float32Array } {
  const nonzero: number[] = [];
  for (let f = 0; f < weights.length; f++) if (weights[f] !== 0) nonzero.push(f);
  const kept = nonzero.sort((a, b) => Math.abs(weights[b]) - Math.abs(weights[a])).slice(0, keep).sort((a, b) => a - b);
  return { indices: Int32Array.from(kept), weights: Float32Array.from(kept, (f) => weights[f]) };
}

/**
 * log((weighted count in c + prior · rate) / ((total weight + prior) · rate)): how much more often the
 * reader's papers are in a category than papers in general, smoothed toward "no more often".
 */
function categoryLifts(papers: readonly SignalPaper[], weights: readonly number[], rate: ReadonlyMap<string, number>, prior: number): Map<string, number> {
  const count = new Map<string, number>();
  let total = 0;
  papers.forEach((p, i) => {
    total += weights[i];
    for (const c of new Set(p.categories)) count.set(c, (count.get(c) ?? 0) + weights[i]);
  });
  const lifts = new Map<string, number>();
  for (const [c, n] of count) {
    const r = Math.max(rate.get(c) ?? 0, 1e-4);
    lifts.set(c, Math.log((n + prior * r) / ((total + prior) * r)));
  }
  return lifts;
}
