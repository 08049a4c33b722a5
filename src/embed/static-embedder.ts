import { existsSync } from 'node:fs';
import path from 'node:path';
import { l2Normalize, type Embedder } from './embedder.ts';
import { knownTokens } from './tokenize.ts';
import { readWordVectors, type WordVectors } from './vector-file.ts';
import { readWhitening, whiten, type Whitening } from './whitening.ts';

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
  /** Applied to the combined vector last (see whitening.ts). */
  whitening?: Whitening;
}

/**
 * An embedder that averages word vectors (SIF-weighted by default) per table, scales each table's
 * average to unit length times its weight, concatenates and normalizes. Needs no model runtime; ~tens
 * of thousands of abstracts a second.
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
  const whitening = spec.whitening;
  if (whitening && whitening.dimensions !== dimensions) throw new Error(`embedder: ${spec.id}: whitening is for ${whitening.dimensions} dimensions, the tables give ${dimensions}`);

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
    l2Normalize(out);
    // A text with no known word stays a zero vector rather than becoming minus the mean.
    return whitening && tokens.length > 0 ? whiten(whitening, out) : out;
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
export const GLOVE_VECTORS = path.join(DATA_DIR, 'glove-6b-100d.top100k.vec.gz');

/** A bundled static model: how to assemble it, and where its learnt whitening is kept (if it has one). */
export interface StaticPreset {
  /** The embedder id; bump `:vN` whenever the model's output changes (vectors, weights, whitening). */
  id: string;
  build(): Omit<StaticModelSpec, 'id' | 'whitening'>;
  /** Written by scripts/build-static-whitening.ts. */
  whiteningFile?: string;
}

const arxivTable = () => ({ vectors: readWordVectors(ARXIV_VECTORS), weight: 1 });
const gloveTable = (weight: number) => ({ vectors: readWordVectors(GLOVE_VECTORS), weight });

/** The static models one can choose with EMBEDDER_MODEL (see docs/benchmarks.md, "Embedder", for how they compare). */
export const STATIC_MODELS: Record<string, StaticPreset> = {
  'arxiv-glove': {
    id: 'static:arxiv-glove:v1',
    build: () => ({ tables: [arxivTable(), gloveTable(0.5)], pooling: 'idf', idfPower: 2 }),
    whiteningFile: path.join(DATA_DIR, 'arxiv-glove.whitening.gz'),
  },
  arxiv: {
    id: 'static:arxiv:v1',
    build: () => ({ tables: [arxivTable()], pooling: 'idf', idfPower: 2 }),
    whiteningFile: path.join(DATA_DIR, 'arxiv.whitening.gz'),
  },
  glove: {
    id: 'static:glove:v1',
    // GloVe has no document counts of its own: IDF comes from the arXiv corpus.
    build: () => ({ tables: [gloveTable(1)], pooling: 'idf', idfPower: 2, frequencies: readWordVectors(ARXIV_VECTORS) }),
  },
};

/** Loads the bundled static embedder by model name (EMBEDDER_MODEL, default `arxiv-glove`). */
export async function loadStaticEmbedder(model: string): Promise<Embedder> {
  const preset = STATIC_MODELS[model];
  if (!preset) throw new Error(`embedder: unknown static model ${JSON.stringify(model)}; choose one of ${Object.keys(STATIC_MODELS).join(', ')}`);
  const whitening = preset.whiteningFile && existsSync(preset.whiteningFile) ? readWhitening(preset.whiteningFile) : undefined;
  if (preset.whiteningFile && !whitening) throw new Error(`embedder: ${preset.whiteningFile} is missing; run scripts/build-static-whitening.ts --model ${model}`);
  return createStaticEmbedder({ ...preset.build(), id: preset.id, whitening });
}
