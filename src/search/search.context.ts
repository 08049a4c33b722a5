/**
 * What search needs loaded before it answers fast: the query embedder (loaded when first needed, from the
 * configuration the caller passes — search reads no environment), the vector index of the store for that
 * embedder, and the term index. A server prepares them at start; a CLI search loads only what it uses.
 */
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Embedder } from '../embed/embedder.ts';
import { termIndexFor } from './terms/handle.ts';
import { type VectorIndex, vectorIndexFor, type VectorIndexOptions } from './vector-index.ts';
import { hasAnyVector } from './vectors.repo.ts';

/** What search needs of an embedder: the query's vector, comparable with the stored ones of the same id. */
export type QueryEmbedder = Pick<Embedder, 'id' | 'dimensions' | 'embed'>;

/** Loads the query embedder when first needed (loading a model takes seconds); null when there is none. */
export type EmbedderLoader = () => Promise<QueryEmbedder | null>;

/** What search takes from outside. */
export interface SearchDeps {
  /**
   * The embedder for queries: a loader (the server's configured embedder, see `configuredEmbedder`), the
   * embedder itself (tests pass a small deterministic one), or null/undefined for keyword search only.
   */
  embedder?: QueryEmbedder | EmbedderLoader | null;
  vectorIndex?: VectorIndexOptions;
  /** A single search in a short-lived process (the CLI): no background index builds it would not wait for. */
  oneShot?: boolean;
}

/**
 * A loader of the configuration's embedder (src/embed/embedder.ts#getEmbedder loads it once per process and
 * shares it with the embedding job). It resolves to null when the embedder cannot be loaded — search is then
 * keyword-only, and says why in the log — and tries again on the next search (say, after `models pull`).
 */
export function configuredEmbedder(config: Pick<Config, 'embedder'>): EmbedderLoader {
  let failure: string | undefined;
  let loaded: QueryEmbedder | undefined;
  return async () => {
    // Once loaded, the embedder is the process's for good: no import to resolve again on every search.
    if (loaded) return loaded;
    try {
      const { getEmbedder } = await import('../embed/embedder.ts');
      loaded = await getEmbedder(config);
      failure = undefined;
      return loaded;
    } catch (err) {
      const message = (err as Error).message;
      if (failure !== message) console.error(`search: no embedder, keyword search only: ${message}`);
      failure = message;
      return null;
    }
  };
}

const queryVectors = new Map<string, Float32Array>();

/** The query's vector, remembered for the next page of the same search. */
export async function embedQuery(embedder: QueryEmbedder, text: string): Promise<Float32Array> {
  const key = `${embedder.id}\n${text}`;
  let v = queryVectors.get(key);
  if (!v) {
    [v] = await embedder.embed([text]);
    if (queryVectors.size >= 500) queryVectors.delete(queryVectors.keys().next().value!);
    queryVectors.set(key, v);
  }
  return v;
}

/** The embedder each loader gave, once it gave one. */
const loadedEmbedders = new WeakMap<EmbedderLoader, QueryEmbedder>();

/**
 * The vector index to use for a search, loaded and up to date; undefined when there is no embedder or
 * it has no vectors stored yet.
 */
export async function activeVectorIndex(db: Db, deps: SearchDeps = {}): Promise<{ index: VectorIndex; embedder: QueryEmbedder } | undefined> {
  const given = deps.embedder;
  if (!given) return undefined;
  // Loading a configured embedder takes seconds; not worth it while no paper has a vector at all. Once it
  // has loaded, the question is not asked again.
  let embedder = typeof given === 'function' ? loadedEmbedders.get(given) : given;
  if (!embedder && typeof given === 'function' && (await hasAnyVector(db.kysely))) {
    embedder = (await given()) ?? undefined;
    if (embedder) loadedEmbedders.set(given, embedder);
  }
  if (!embedder) return undefined;
  const index = vectorIndexFor(db, embedder, deps.oneShot ? { ...deps.vectorIndex, hnswThreshold: Infinity } : deps.vectorIndex);
  await index.sync(db.kysely);
  return index.size > 0 ? { index, embedder } : undefined;
}

/**
 * Loads the vector index and builds the term index ahead of the first search, so the first queries
 * are as fast as the rest (a server calls it at start-up, without waiting; failures only log).
 */
export async function prepareSearch(db: Db, deps: SearchDeps = {}): Promise<void> {
  try {
    await activeVectorIndex(db, deps);
    await termIndexFor(db).ready();
  } catch (err) {
    console.error(`search: could not prepare the search indexes: ${(err as Error).message}`);
  }
}

