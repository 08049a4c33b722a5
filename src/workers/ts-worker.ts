/**
 * Worker threads that run TypeScript modules of this package. A worker does not inherit the main thread's
 * tsx loader when Paperboy was started through bin/paperboy.js (which registers it by API), so the bootstrap
 * registers tsx itself, then imports the entry module and calls its `run(workerData, port)`.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const BOOTSTRAP = `
const { workerData, parentPort } = require('node:worker_threads');
import(workerData.tsx)
  .then(({ register }) => { register({ tsconfig: workerData.tsconfig }); return import(workerData.entry); })
  .then((m) => m.run(workerData.data, parentPort))
  .catch((err) => parentPort.postMessage({ error: String(err && err.stack || err) }));
`;

const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
// The package's own tsconfig, whatever the working directory (tsx would read the one found from there).
const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));

/**
 * Starts `entry` (a module URL exporting `run(data, port)`) in a worker thread with `data`; buffers in
 * `transferList` move to the worker instead of being copied.
 */
export function startTsWorker(entry: URL, data: unknown, options: { transferList?: ArrayBuffer[] } = {}): Worker {
  return new Worker(BOOTSTRAP, { eval: true, workerData: { tsx: tsxApi, tsconfig, entry: entry.href, data }, transferList: options.transferList });
}
