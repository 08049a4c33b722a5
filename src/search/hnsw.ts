/** usearch (HNSW), loaded lazily, and a worker thread that builds a graph without blocking requests. */
import { createRequire } from 'node:module';
import os from 'node:os';
import { startTsWorker } from '../workers/ts-worker.ts';

type Usearch = typeof import('usearch');
/** A usearch HNSW index. */
export type HnswGraph = InstanceType<Usearch['Index']>;
let usearch: Usearch | null | undefined;

/** usearch, loaded on first need; null (exact search only) where its native module cannot load. */
export function loadUsearch(): Usearch | null {
  if (usearch === undefined) {
    try {
      // The CommonJS build: the ESM build of 2.25 cannot find its native module when imported through tsx.
      usearch = createRequire(import.meta.url)('usearch') as Usearch;
    } catch (err) {
      console.error(`search: usearch unavailable, vector search stays exact: ${(err as Error).message}`);
      usearch = null;
    }
  }
  return usearch;
}

/**
 * Builds an HNSW graph of the vectors in a worker thread and saves it to `file`; with `snapshot`, also the
 * matrix it was built from (vector-snapshot.ts), so a restart loads both.
 */
export function buildInWorker(data: {
  config: object;
  ids: Int32Array;
  matrix: Float32Array;
  file: string;
  snapshot?: { file: string; header: import('./vector-snapshot.ts').VectorSnapshotHeader };
}): Promise<void> {
  return new Promise((resolve, reject) => {
    // Leave a core for requests while the graph is built.
    const threads = Math.max(1, os.availableParallelism() - 1);
    const worker = startTsWorker(new URL('./hnsw.worker.ts', import.meta.url), { ...data, threads }, { transferList: [data.ids.buffer as ArrayBuffer, data.matrix.buffer as ArrayBuffer] });
    worker.unref(); // a process that is done (a CLI search, a server stopping) does not wait for the build
    worker.once('message', (m: { done?: true; error?: string }) => (m.error ? reject(new Error(m.error)) : resolve()));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`HNSW worker exited with code ${code}`))));
  });
}
