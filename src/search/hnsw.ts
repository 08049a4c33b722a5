/** usearch (HNSW), loaded lazily, and a worker thread that builds a graph without blocking requests. */
import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

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

/** The worker's code: plain CommonJS, so it needs no TypeScript loader. */
const BUILD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Index } = require(workerData.usearchPath);
const { config, ids, matrix, file } = workerData;
const graph = new Index(config);
graph.add(BigUint64Array.from(ids, (id) => BigInt(id)), matrix, workerData.threads);
graph.save(file);
parentPort.postMessage('done');
`;

/** Builds an HNSW graph of the vectors in a worker thread and saves it to `file`. */
export function buildInWorker(data: { config: object; ids: Int32Array; matrix: Float32Array; file: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const usearchPath = createRequire(import.meta.url).resolve('usearch');
    // Leave a core for requests while the graph is built.
    const threads = Math.max(1, os.availableParallelism() - 1);
    const worker = new Worker(BUILD_WORKER, { eval: true, workerData: { ...data, usearchPath, threads }, transferList: [data.ids.buffer as ArrayBuffer, data.matrix.buffer as ArrayBuffer] });
    worker.unref(); // a process that is done (a CLI search, a server stopping) does not wait for the build
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`HNSW worker exited with code ${code}`))));
  });
}
