/**
 * Read-only SQLite connections in worker threads. better-sqlite3 runs every statement synchronously, so on
 * the main thread a query over a big part of the store (a count of a broad filter, a common surname) holds
 * the event loop — every other request of the server — for as long as it runs. Statements that only read,
 * outside a transaction, run here instead: each worker has its own read-only connection to the same file
 * (WAL lets readers and the one writer work at once), and the main thread only waits for a message.
 * Writes and transactions stay on the main connection (sqlite-dialect.ts), so they keep SQLite's ordering.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** The worker's code: plain CommonJS, so it needs no TypeScript loader. */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -65536');
db.pragma('mmap_size = 1073741824');
const statements = new Map();
parentPort.on('message', ({ id, sql, parameters }) => {
  try {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (statements.size > 500) statements.clear();
      statements.set(sql, stmt);
    }
    parentPort.postMessage({ id, rows: stmt.all(parameters) });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err.message, code: err.code } });
  }
});
`;

interface Pending {
  resolve(rows: unknown[]): void;
  reject(err: Error): void;
}

/** One reader thread and the queries it has been given. */
class Reader {
  readonly worker: Worker;
  readonly pending = new Map<number, Pending>();

  constructor(file: string) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(READER, { eval: true, workerData: { file, driver } });
    // Reader threads never keep a process alive by themselves (a finished CLI command exits).
    this.worker.unref();
    this.worker.on('message', (m: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else p.resolve(m.rows!);
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', (code) => this.failAll(new Error(`SQLite reader thread exited with code ${code}`)));
  }

  failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/** A pool of reader threads on one SQLite file; queries go to the least busy one. */
export class SqliteReaders {
  private readonly readers: Reader[];
  private nextId = 1;
  private closed = false;

  /** `size` defaults to the machine's parallelism (at least 1, at most 4). */
  constructor(file: string, size = Math.min(4, Math.max(1, availableParallelism()))) {
    this.readers = Array.from({ length: size }, () => new Reader(file));
  }

  /** Runs a read-only statement in a reader thread and returns its rows. */
  all(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('SQLite readers are closed'));
    const reader = this.readers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      reader.pending.set(id, { resolve, reject });
      reader.worker.postMessage({ id, sql, parameters });
    });
  }

  /** Stops the threads (queries still waiting fail). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.readers.map((r) => r.worker.terminate()));
  }
}
