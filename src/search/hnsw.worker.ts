/** The HNSW graph build, in a worker thread (see hnsw.ts#buildInWorker): the graph, then the matrix it was built from. */
import type { MessagePort } from 'node:worker_threads';
import { loadUsearch } from './hnsw.ts';
import { type VectorSnapshotHeader, writeVectorSnapshot } from './vector-snapshot.ts';

/** The worker's entry point. */
export function run(
  data: { config: object; ids: Int32Array; matrix: Float32Array; file: string; threads: number; snapshot?: { file: string; header: VectorSnapshotHeader } },
  port: MessagePort,
): void {
  const lib = loadUsearch();
  if (!lib) throw new Error('usearch unavailable');
  const graph = new lib.Index(data.config as ConstructorParameters<typeof lib.Index>[0]);
  graph.add(BigUint64Array.from(data.ids, (id) => BigInt(id)), data.matrix, data.threads);
  graph.save(data.file);
  if (data.snapshot) writeVectorSnapshot(data.snapshot.file, data.snapshot.header, data.ids, data.matrix);
  port.postMessage({ done: true });
}
