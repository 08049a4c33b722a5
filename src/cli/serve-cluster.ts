/**
 * `paperboy serve` with WEB_CONCURRENCY > 1: the primary process migrates the store, runs the background
 * jobs and supervises that many worker processes (node:cluster), which share the port and answer the
 * requests. One Node process uses one core for JavaScript; on a machine with more, more processes answer
 * more requests. Workers are stateless like instances of a PostgreSQL fleet: sessions, votes and mail live
 * in the database, each keeps its own short-lived response cache, and the search indexes they load are
 * built once per store (a file lock beside it) and shared as files.
 */
import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.ts';
import { urlOf } from '../http/server.ts';

/** Whether this process is a worker of a serving cluster. */
export const isClusterWorker = (): boolean => cluster.isWorker;

/** A worker that dies this soon after starting counts as a failed start. */
const QUICK_DEATH_MS = 10_000;
/** Failed starts in a row after which the primary gives up (a broken configuration, not a crash). */
const MAX_QUICK_DEATHS = 5;

/** The running workers: where they answer, and how to stop them all. */
export interface Workers {
  url: string;
  stop(): Promise<void>;
}

/**
 * Forks `config.webConcurrency` workers running `paperboy serve` without jobs, replaces one that dies, and
 * resolves once they all listen. `stop` sends each SIGTERM (they finish their requests) and waits.
 */
export function superviseWorkers(config: Config): Promise<Workers> {
  let stopping = false;
  let quickDeaths = 0;
  const started = new Map<Worker, number>();
  const fork = () => started.set(cluster.fork({ JOBS: 'off' }), Date.now());

  return new Promise((resolve, reject) => {
    // Every first worker listening, not just one: with PORT=0 the port is the shared handle's, and a lone
    // listener that dies takes it along (the next worker would get another port than the one announced).
    let listening = 0;
    const first = (_worker: Worker, address: AddressInfo) => {
      if (++listening < config.webConcurrency) return;
      cluster.off('listening', first);
      resolve({ url: urlOf(address), stop });
    };
    cluster.on('listening', first);
    cluster.on('exit', (worker, code, signal) => {
      const lived = Date.now() - (started.get(worker) ?? 0);
      started.delete(worker);
      if (stopping) return;
      quickDeaths = lived < QUICK_DEATH_MS ? quickDeaths + 1 : 0;
      if (config.logLevel !== 'silent') console.error(`serve: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}) after ${Math.round(lived / 1000)} s; starting another`);
      if (quickDeaths >= MAX_QUICK_DEATHS) {
        reject(new Error(`serve: ${quickDeaths} workers in a row died within ${QUICK_DEATH_MS / 1000} s of starting; see the errors above`));
        void stop();
        return;
      }
      fork();
    });
    for (let i = 0; i < config.webConcurrency; i++) fork();
  });

  async function stop(): Promise<void> {
    stopping = true;
    const exits = [...started.keys()].map((w) => new Promise<void>((done) => (w.isDead() ? done() : w.once('exit', () => done()))));
    for (const w of started.keys()) w.process.kill('SIGTERM');
    await Promise.all(exits);
  }
}
