/**
 * Paperboy's search modes as harness rankers over one store. Every mode the engine offers is listed
 * here once; the harness, `paperboy eval` and the benchmark take whatever this returns.
 */
import { loadConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { getEmbedder, type Embedder } from '../../embed/embedder.ts';
import { runEmbeddingJob } from '../../embed/embed.service.ts';
import type { FusionMethod } from '../fusion.ts';
import { activeVectorIndex, prepareSearch, search, type QueryEmbedder, type SearchMode } from '../search.service.ts';
import type { Ranker } from './harness.ts';

/** A named search mode. */
export interface ModeRanker {
  mode: string;
  ranker: Ranker;
}

/** The configured embedder, or undefined (with the reason logged) when it cannot be loaded. */
export async function defaultEmbedder(log?: (line: string) => void): Promise<Embedder | undefined> {
  try {
    return await getEmbedder(loadConfig());
  } catch (err) {
    log?.(`semantic and hybrid modes left out: ${(err as Error).message}`);
    return undefined;
  }
}

/** Embeds every paper of the store that lacks a current vector (none on a reused store), logging the speed. */
export async function prepareVectors(db: Db, embedder: Embedder, log?: (line: string) => void): Promise<void> {
  let nextReport = 0.2;
  const report = await runEmbeddingJob(db, embedder, {
    onProgress: ({ done, total }) => {
      if (total >= 5000 && done / total >= nextReport) {
        log?.(`embedding: ${done} of ${total} papers`);
        nextReport += 0.2;
      }
    },
  });
  if (report.embedded > 0) {
    log?.(`embedded ${report.embedded} papers with ${embedder.id} in ${report.seconds.toFixed(1)} s (${Math.round(report.embedded / report.seconds)}/s, job included)`);
  }
}

/** A search mode through `search(db, request)`, the path the CLI, API and pages take (papers loaded too). */
export function searchRanker(db: Db, mode: SearchMode, embedder: QueryEmbedder | null, fusion?: FusionMethod): Ranker {
  let warned = false;
  return async (query, limit) => {
    const response = await search(db, { query, mode, limit, fusion }, { embedder });
    if (response.mode !== mode && !warned) {
      warned = true;
      console.error(`eval: ${mode} search answered in ${response.mode} mode for "${query}"`);
    }
    return { ids: response.results.map((r) => r.paper.id), scores: response.results.map((r) => r.score) };
  };
}

/**
 * The modes available on this store: keyword always; semantic and hybrid when the configured embedder
 * loads, after embedding whatever papers lack a vector and loading the vector index (graph built).
 */
export async function storeRankers(db: Db, opts: { log?: (line: string) => void } = {}): Promise<ModeRanker[]> {
  const embedder = await defaultEmbedder(opts.log);
  const modes: ModeRanker[] = [{ mode: 'keyword', ranker: searchRanker(db, 'keyword', embedder ?? null) }];
  const withVectors = embedder !== undefined && (await vectorsReady(db, embedder, opts.log));
  // The in-memory indexes a server builds at start-up, built before the first timed query.
  const started = performance.now();
  await prepareSearch(db, { embedder: withVectors ? embedder : null });
  opts.log?.(`search indexes ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (!withVectors) return modes;
  modes.push({ mode: 'semantic', ranker: searchRanker(db, 'semantic', embedder) });
  modes.push({ mode: 'hybrid', ranker: searchRanker(db, 'hybrid', embedder) });
  return modes;
}

/** Embeds what is missing and loads the vector index, waiting for its graph; false when there are no vectors. */
async function vectorsReady(db: Db, embedder: Embedder, log?: (line: string) => void): Promise<boolean> {
  await prepareVectors(db, embedder, log);
  const started = performance.now();
  const active = await activeVectorIndex(db, { embedder });
  if (!active) return false;
  await active.index.ready();
  log?.(`vector index: ${active.index.size} vectors${active.index.usesGraph ? ', HNSW graph' : ', exact'}, ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/**
 * The fusion settings compared by `npm run eval:search -- --fusion`. No RRF: hybrid search ranks its tiers by
 * weighted scores (hybrid.ts), where reciprocal ranks would be read as min-max at 0.5.
 */
export const FUSION_SETTINGS: { name: string; fusion: FusionMethod }[] = [
  ...[0.3, 0.5, 0.7, 0.8, 0.9].map((alpha) => ({ name: `score minmax a=${alpha}`, fusion: { kind: 'score', alpha, normalization: 'minmax' } as FusionMethod })),
  ...[0.5, 0.8].map((alpha) => ({ name: `score zscore a=${alpha}`, fusion: { kind: 'score', alpha, normalization: 'zscore' } as FusionMethod })),
  ...[
    [0.05, 0.3],
    [0.1, 0.4],
    [0, 0.5],
    [0.1, 0.6],
  ].map(([minVector, maxVector]) => ({
    name: `agreement ${minVector}-${maxVector}`,
    fusion: { kind: 'agreement', minVector, maxVector, top: 20, normalization: 'minmax' } as FusionMethod,
  })),
];

/** Hybrid search under each fusion setting of FUSION_SETTINGS (none without an embedder). */
export async function fusionRankers(db: Db, opts: { log?: (line: string) => void } = {}): Promise<ModeRanker[]> {
  const embedder = await defaultEmbedder(opts.log);
  if (!embedder || !(await vectorsReady(db, embedder, opts.log))) return [];
  return FUSION_SETTINGS.map(({ name, fusion }) => ({ mode: `hybrid ${name}`, ranker: searchRanker(db, 'hybrid', embedder, fusion) }));
}
