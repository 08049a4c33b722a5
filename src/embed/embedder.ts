import type { Config } from '../config.ts';

/**
 * Turns texts into unit-length vectors. `id` names provider, model and version (e.g.
 * `static:arxiv:v1`); stored vectors made under another id are stale and get re-embedded.
 */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  /** One L2-normalized vector per text, in order. An empty or wordless text gives a zero vector. */
  embed(texts: string[]): Promise<Float32Array[]>;
  /** Releases native resources (ONNX sessions); optional. */
  close?(): Promise<void>;
}

/** Which embedding back end to use: bundled static word vectors, a local ONNX model, or an HTTP API. */
export type EmbedderProvider = 'static' | 'onnx' | 'openai';

/** The embedder part of the configuration (see src/config.ts). */
export interface EmbedderConfig {
  provider: EmbedderProvider;
  /** Model name; each provider has its default (see DEFAULT_MODELS). */
  model: string;
  /** Where `paperboy models pull` puts ONNX models and the onnx provider reads them. */
  modelDir: string;
  /** Base of the OpenAI-compatible API (Ollama, TEI, vLLM, OpenAI); `/v1/embeddings` is appended. */
  openaiBaseUrl: string;
  openaiApiKey: string | undefined;
  /** Hugging Face hub base URL for `paperboy models pull`. */
  hfEndpoint: string;
}

/** The model each provider uses when EMBEDDER_MODEL is unset. */
export const DEFAULT_MODELS: Record<EmbedderProvider, string> = {
  static: 'arxiv',
  onnx: 'Xenova/all-MiniLM-L6-v2',
  openai: 'text-embedding-3-small',
};

const loaded = new Map<string, Promise<Embedder>>();

/**
 * The configured embedder, loaded once per process and configuration and shared by everyone who asks
 * (search's queries, the embedding job): loading costs seconds of CPU and tens of MB, an ONNX session
 * more. Its `close` releases it (at shutdown); whoever asks after that gets a freshly loaded one. A
 * load that fails is forgotten, so the next call tries again (say, after `paperboy models pull`).
 */
export function getEmbedder(config: Pick<Config, 'embedder'>): Promise<Embedder> {
  const key = JSON.stringify(config.embedder);
  let embedder = loaded.get(key);
  if (!embedder) {
    const loading: Promise<Embedder> = loadEmbedder(config.embedder).then(
      (inner) => closedOnce(inner, () => loaded.get(key) === loading && loaded.delete(key)),
      (err) => {
        loaded.delete(key);
        throw err;
      },
    );
    loaded.set(key, (embedder = loading));
  }
  return embedder;
}

/** The embedder with a `close` that forgets it first, then releases it once however many owners close it. */
function closedOnce(inner: Embedder, forget: () => void): Embedder {
  let closing: Promise<void> | undefined;
  return {
    id: inner.id,
    dimensions: inner.dimensions,
    embed: (texts) => inner.embed(texts),
    close() {
      forget();
      return (closing ??= Promise.resolve(inner.close?.()));
    },
  };
}

/** Builds an embedder; providers are loaded lazily so the default needs no extra packages. */
async function loadEmbedder(c: EmbedderConfig): Promise<Embedder> {
  switch (c.provider) {
    case 'static': {
      const { loadStaticEmbedder } = await import('./static-embedder.ts');
      return loadStaticEmbedder(c.model);
    }
    case 'onnx': {
      const { loadOnnxEmbedder } = await import('./onnx-embedder.ts');
      return loadOnnxEmbedder({ model: c.model, modelDir: c.modelDir });
    }
    case 'openai': {
      const { createOpenAiEmbedder } = await import('./openai-embedder.ts');
      return createOpenAiEmbedder({ baseUrl: c.openaiBaseUrl, apiKey: c.openaiApiKey, model: c.model });
    }
  }
}

/** Scales a vector to unit length in place (a zero vector stays zero) and returns it. */
export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  if (sum > 0) {
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < v.length; i++) v[i] *= inv;
  }
  return v;
}

/** Dot product; the cosine similarity of two unit vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encodes a vector as the little-endian float32 bytes stored in `paper_vectors.vector`. */
export function vectorToBytes(v: Float32Array): Uint8Array {
  if (littleEndian) return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  const out = new Uint8Array(v.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i], true);
  return out;
}

/** Decodes `paper_vectors.vector` (a Buffer from SQLite or PostgreSQL) into a fresh Float32Array. */
export function bytesToVector(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`vector: ${bytes.byteLength} bytes is not a whole number of float32 values`);
  if (littleEndian) return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
