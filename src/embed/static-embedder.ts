import path from 'node:path';
import { l2Normalize, type Embedder } from './embedder.ts';
import { knownTokens } from './tokenize.ts';
import { readWordVectors, type WordVectors } from './vector-file.ts';

/** How word vectors are weighted when averaged into a text vector. */
export type Pooling = 'sif' | 'idf' | 'mean';

/** One table of word vectors in a static model, and its share of the combined vector. */
export interface VectorTable {
  vectors: WordVectors;
  /** Multiplies this table's (unit-length) pooled vector before concatenation. */
  weight: number;
}

/** What a static model is made of; the bundled presets are in STATIC_MODELS. */
export interface StaticModelSpec {
  id: string;
  tables: VectorTable[];
  pooling: Pooling;
  /** SIF's a: weight = a / (a + p(word)). */
  sifA?: number;
  /** Word → inverse document frequency for `idf` pooling; by default from the frequency table's document counts. */
  idf?: Map<string, number>;
  /** Whose counts give SIF word probabilities and IDF document frequencies (default: the first table). */
  frequencies?: WordVectors;
  /** IDF raised to this power (default 1); above 1 leans harder on rare, telling words. */
  idfPower?: number;
}

/**
 * An embedder that averages word vectors (IDF- or SIF-weighted) per table, scales each table's
 * average to unit length times its weight, concatenates and normalizes. Needs no model runtime:
 * a few thousand abstracts per CPU-second.
 */
export function createStaticEmbedder(spec: StaticModelSpec): Embedder {
  const dims = spec.tables.map((t) => t.vectors.dimensions);
  const offsets = dims.map((_, i) => dims.slice(0, i).reduce((a, b) => a + b, 0));
  const dimensions = dims.reduce((a, b) => a + b, 0);
  // One entry per word of any table: its row in each table (-1 if absent) and its pooling weight.
  const entries = new Map<string, number>();
  const rows: Int32Array[] = [];
  const words: string[] = [];
  for (const table of spec.tables) for (const w of table.vectors.words) if (!entries.has(w)) entries.set(w, words.push(w) - 1);
  for (const table of spec.tables) {
    const r = new Int32Array(words.length).fill(-1);
    table.vectors.words.forEach((w, i) => (r[entries.get(w)!] = i));
    rows.push(r);
  }
  const weights = poolingWeights(spec, words);

  const tables = spec.tables.map((t) => t.vectors.vectors);
  const tableWeights = spec.tables.map((t) => t.weight);

  function embedOne(text: string): Float32Array {
    const out = new Float32Array(dimensions);
    const tokens = knownTokens(text, (t) => entries.has(t)).map((t) => entries.get(t)!);
    for (let t = 0; t < tables.length; t++) {
      const tableRows = rows[t];
      for (const e of tokens) {
        const row = tableRows[e];
        if (row >= 0) addScaled(out, offsets[t], tables[t], row * dims[t], dims[t], weights[e]);
      }
      scaleToLength(out, offsets[t], dims[t], tableWeights[t]);
    }
    return l2Normalize(out);
  }

  return { id: spec.id, dimensions, embed: async (texts) => texts.map(embedOne) };
}

/** Smoothed inverse document frequency, log((N + 1) / (df + 0.5)), from a table's document counts. */
export function idfFromCounts(wv: WordVectors): Map<string, number> {
  const n = wv.meta.documents;
  if (!wv.documentCounts || n === undefined) throw new Error(`embedder: ${wv.meta.name} has no document counts for IDF weights`);
  const dc = wv.documentCounts;
  return new Map(wv.words.map((w, i) => [w, Math.log((n + 1) / (dc[i] + 0.5))]));
}

// Kept as small monomorphic functions over typed arrays: V8 compiles them to tight loops.
function addScaled(out: Float32Array, at: number, from: Float32Array, start: number, length: number, weight: number): void {
  for (let k = 0; k < length; k++) out[at + k] += weight * from[start + k];
}

function scaleToLength(v: Float32Array, at: number, length: number, target: number): void {
  let sum = 0;
  for (let k = 0; k < length; k++) sum += v[at + k] * v[at + k];
  if (sum === 0) return;
  const scale = target / Math.sqrt(sum);
  for (let k = 0; k < length; k++) v[at + k] *= scale;
}

function poolingWeights(spec: StaticModelSpec, words: string[]): Float32Array {
  const weights = new Float32Array(words.length).fill(1);
  if (spec.pooling === 'mean') return weights;
  if (spec.pooling === 'idf') {
    const idf = spec.idf ?? idfFromCounts(spec.frequencies ?? spec.tables[0].vectors);
    const power = spec.idfPower ?? 1;
    // Words without a document frequency are rarer than any counted word: they get the largest weight.
    let max = 0;
    for (const v of idf.values()) max = Math.max(max, v);
    words.forEach((w, i) => (weights[i] = Math.max(0, idf.get(w) ?? max) ** power));
    return weights;
  }
  const a = spec.sifA ?? 1e-3;
  const f = spec.frequencies ?? spec.tables[0].vectors;
  const fRow = new Map(f.words.map((w, i) => [w, i]));
  // Words the frequency table lacks are rarer than its rarest word: give them its largest weight.
  let minP = 1;
  for (let i = 0; i < f.counts.length; i++) minP = Math.min(minP, f.counts[i] / f.meta.totalCount);
  words.forEach((w, i) => {
    const row = fRow.get(w);
    const p = row !== undefined ? f.counts[row] / f.meta.totalCount : minP;
    weights[i] = a / (a + p);
  });
  return weights;
}

/** The bundled vector files. */
export const DATA_DIR = path.join(import.meta.dirname, 'data');
export const ARXIV_VECTORS = path.join(DATA_DIR, 'arxiv-ppmi-svd.vec.gz');
export const GLOVE_VECTORS = path.join(DATA_DIR, 'glove-6b-100d.vec.gz');

const arxivTable = () => ({ vectors: readWordVectors(ARXIV_VECTORS), weight: 1 });
const gloveTable = (weight: number) => ({ vectors: readWordVectors(GLOVE_VECTORS), weight });

/**
 * The static models one can choose with EMBEDDER_MODEL; docs/benchmarks.md ("Embedder") has how they
 * and the variants not kept compare. Bump `:vN` in an id whenever that model's output changes.
 */
export const STATIC_MODELS: Record<string, () => StaticModelSpec> = {
  arxiv: () => ({ id: 'static:arxiv:v1', tables: [arxivTable()], pooling: 'idf', idfPower: 3 }),
  'arxiv-glove': () => ({ id: 'static:arxiv-glove:v1', tables: [arxivTable(), gloveTable(0.5)], pooling: 'idf', idfPower: 3 }),
  // GloVe has no document counts of its own: IDF comes from the arXiv corpus.
  glove: () => ({ id: 'static:glove:v1', tables: [gloveTable(1)], pooling: 'idf', idfPower: 3, frequencies: readWordVectors(ARXIV_VECTORS) }),
};

/** Loads a bundled static embedder by model name (EMBEDDER_MODEL). */
export async function loadStaticEmbedder(model: string): Promise<Embedder> {
  const preset = STATIC_MODELS[model];
  if (!preset) throw new Error(`embedder: unknown static model ${JSON.stringify(model)}; choose one of ${Object.keys(STATIC_MODELS).join(', ')}`);
  return createStaticEmbedder(preset());
}
