import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from '../db/database.ts';
import { vectorToBytes, type Embedder } from './embedder.ts';
import { highestPaperId } from '../papers/papers.repo.ts';
import { countPapers, embeddingBacklog, papersToEmbed, upsertVectors, type EmbeddingBacklog } from './embed.repo.ts';

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
 * Ids per query when looking for papers to embed: each reads up to this many wide paper rows, 7–13 ms of
 * SQLite time (which holds the event loop), so a run that finds few papers in a large store stays responsive.
 */
const SCAN_WINDOW = 2000;

const backlogSize = (b: EmbeddingBacklog) => b.missing + b.stale;

/**
 * Embeds every paper that has no current vector from this embedder — none, or one made from an older
 * title or abstract (all papers with `reembed`) — in batches, upserting `paper_vectors`; a stale vector
 * keeps serving search until its replacement is written. Safe to stop at any point: a new run picks up
 * what is still missing. Asks the database first whether there is anything to do (a cheap check), then
 * walks the papers in id windows, yielding to the event loop between them so a server stays responsive.
 */
export async function runEmbeddingJob(
  db: Db,
  embedder: Embedder,
  opts: { onProgress?: (p: EmbeddingProgress) => void; signal?: AbortSignal; batchSize?: number; reembed?: boolean } = {},
): Promise<EmbeddingReport> {
  const started = performance.now();
  const batchSize = opts.batchSize ?? 256;
  const all = opts.reembed ?? false;
  const total = all ? await countPapers(db.kysely) : backlogSize(await embeddingBacklog(db.kysely, embedder.id));
  let done = 0;
  let aborted = false;
  opts.onProgress?.({ done, total });
  let lastId = 0;
  if (total > 0) {
    await nextTurn(); // counting stale vectors may have taken a while
    lastId = await highestPaperId(db.kysely);
  }
  for (let afterId = 0; afterId < lastId; ) {
    if (opts.signal?.aborted) {
      aborted = true;
      break;
    }
    const throughId = Math.min(afterId + SCAN_WINDOW, lastId);
    const papers = await papersToEmbed(db.kysely, embedder.id, { afterId, throughId }, batchSize, all);
    if (papers.length > 0) {
      const vectors = await embedder.embed(papers.map(paperText));
      if (vectors.length !== papers.length) throw new Error(`embed: ${embedder.id} returned ${vectors.length} vectors for ${papers.length} papers`);
      for (const v of vectors) {
        if (v.length !== embedder.dimensions) throw new Error(`embed: ${embedder.id} returned a vector of ${v.length} dimensions, expected ${embedder.dimensions}`);
      }
      const rows = papers.map((p, i) => ({ paperId: p.id, vector: vectorToBytes(vectors[i]), textRevision: p.textRevision }));
      await upsertVectors(db.kysely, embedder.id, embedder.dimensions, rows);
      // Papers added while the job runs can push `done` past the first count.
      done += papers.length;
      opts.onProgress?.({ done, total: Math.max(total, done) });
    }
    afterId = papers.length === batchSize ? papers[papers.length - 1].id : throughId;
    if (afterId >= lastId) lastId = await highestPaperId(db.kysely);
    await nextTurn();
  }
  const remaining = total === 0 ? 0 : backlogSize(await embeddingBacklog(db.kysely, embedder.id));
  return { embedder: embedder.id, embedded: done, remaining, seconds: (performance.now() - started) / 1000, aborted };
}
