import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from '../db/database.ts';
import { vectorToBytes, type Embedder } from './embedder.ts';
import { countPapersWithoutVector, papersWithoutVector, upsertVectors } from './embed.repo.ts';

/** Progress of an embedding job: papers done so far out of those it set out to embed. */
export interface EmbeddingProgress {
  done: number;
  total: number;
}

/** What an embedding job did. */
export interface EmbeddingReport {
  embedder: string;
  embedded: number;
  /** Papers that still lack a current vector (non-zero when aborted). */
  remaining: number;
  seconds: number;
  aborted: boolean;
}

/** The text a paper is embedded from (search and "similar papers" embed queries the same way). */
export function paperText(paper: { title: string; abstract: string }): string {
  return paper.abstract ? `${paper.title}\n${paper.abstract}` : paper.title;
}

/**
 * Embeds every paper that has no vector from this embedder (all papers with `reembed`), in batches,
 * upserting `paper_vectors`. Safe to stop at any point: a new run picks up the papers still missing a
 * current vector. Yields to the event loop between batches so a server stays responsive.
 */
export async function runEmbeddingJob(
  db: Db,
  embedder: Embedder,
  opts: { onProgress?: (p: EmbeddingProgress) => void; signal?: AbortSignal; batchSize?: number; reembed?: boolean } = {},
): Promise<EmbeddingReport> {
  const started = performance.now();
  const batchSize = opts.batchSize ?? 256;
  const all = opts.reembed ?? false;
  const total = await countPapersWithoutVector(db.kysely, embedder.id, all);
  let done = 0;
  let afterId = 0;
  let aborted = false;
  opts.onProgress?.({ done, total });
  for (;;) {
    if (opts.signal?.aborted) {
      aborted = true;
      break;
    }
    const papers = await papersWithoutVector(db.kysely, embedder.id, afterId, batchSize, all);
    if (papers.length === 0) break;
    const vectors = await embedder.embed(papers.map(paperText));
    if (vectors.length !== papers.length) throw new Error(`embed: ${embedder.id} returned ${vectors.length} vectors for ${papers.length} papers`);
    for (const v of vectors) {
      if (v.length !== embedder.dimensions) throw new Error(`embed: ${embedder.id} returned a vector of ${v.length} dimensions, expected ${embedder.dimensions}`);
    }
    await upsertVectors(db.kysely, embedder.id, embedder.dimensions, papers.map((p, i) => ({ paperId: p.id, vector: vectorToBytes(vectors[i]) })));
    afterId = papers[papers.length - 1].id;
    // Papers added while the job runs can push `done` past the first count.
    done += papers.length;
    opts.onProgress?.({ done, total: Math.max(total, done) });
    await nextTurn();
  }
  const remaining = await countPapersWithoutVector(db.kysely, embedder.id);
  return { embedder: embedder.id, embedded: done, remaining, seconds: (performance.now() - started) / 1000, aborted };
}
