/**
 * The HTTP half of `npm run bench:search`: search as a reader meets it, through a real `paperboy serve` on
 * the 74,728-paper store — right after start without the saved indexes (what a first start costs), right
 * after a restart with them (once as soon as it listens, once after /readyz, as a load balancer would send
 * them), and in steady state 75 s after start, each 200 mixed queries one at a time
 * (GET /api/search, hybrid); then the uncached search page and the hybrid API under 50 connections, with
 * one process and with WEB_CONCURRENCY=2 (one per core).
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { percentile } from '../src/search/eval/harness.ts';
import { benchEnv, ensureBenchStore, startServe, untilReady, type ServeProcess } from './serve-process.ts';

/** One phase's latencies. */
export interface HttpPhase {
  name: string;
  p50: number;
  p99: number;
  count: number;
  /** The first query of the phase alone: what the first reader after a (re)start waits. */
  first: number;
  listeningAfterMs?: number;
  /** From spawn until /readyz answered 200, where the phase waits for it (as a load balancer does). */
  readyAfterMs?: number;
}

/** Throughput of one URL family under load. */
export interface HttpLoad {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const q = encodeURIComponent;

async function timeAll(server: ServeProcess, queries: string[]): Promise<{ p50: number; p99: number; count: number; first: number }> {
  const times: number[] = [];
  for (const text of queries) {
    const started = performance.now();
    const res = await fetch(`${server.url}/api/search?q=${q(text)}&limit=10`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`search "${text}": status ${res.status}`);
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99), count: times.length, first: times[0] ?? 0 };
}

const describe = (p: HttpPhase) =>
  `${p.name}: first ${p.first.toFixed(1)} ms, p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms` +
  (p.readyAfterMs === undefined ? '' : `, ready after ${(p.readyAfterMs / 1000).toFixed(1)} s`);

async function load(server: ServeProcess, name: string, paths: string[]): Promise<HttpLoad> {
  let n = 0;
  const result = await autocannon({
    url: server.url,
    connections: 50,
    duration: 10,
    // A parameter the page ignores makes every URL new, so no request is answered from the response cache.
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `${paths[n % paths.length]}&bench=${n++}` }) }],
  } as unknown as autocannon.Options);
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Runs the HTTP phases on the store in `dataDir` with these queries; logs as it goes. */
export async function httpSearchBench(dataDir: string, queries: string[], log: (line: string) => void): Promise<{ phases: HttpPhase[]; loads: HttpLoad[] }> {
  const env = benchEnv(dataDir);
  ensureBenchStore(env, log);
  const saved = () => fs.readdirSync(dataDir).filter((f) => f.startsWith('paperboy.sqlite.') && (f.endsWith('.terms') || f.includes('.vectors-')));
  for (const f of saved()) fs.rmSync(path.join(dataDir, f));
  const phases: HttpPhase[] = [];

  let server = await startServe(env);
  phases.push({ name: 'first start, nothing saved: the first 200 queries', listeningAfterMs: server.listeningAfterMs, ...(await timeAll(server, queries)) });
  log(describe(phases.at(-1)!));
  // Wait for the term index and the vector graph to be built and saved before the restart.
  for (let waited = 0; saved().filter((f) => !f.endsWith('.partial')).length < 3 && waited < 600; waited++) await sleep(1000);
  await server.stop();

  server = await startServe(env);
  phases.push({ name: 'restart with the saved indexes: the first 200 queries as soon as it listens', listeningAfterMs: server.listeningAfterMs, ...(await timeAll(server, queries)) });
  log(describe(phases.at(-1)!));
  await server.stop();
  // The same restart as a load balancer sees it: no query until /readyz says the indexes are loaded.
  server = await startServe(env);
  const readyAfterMs = await untilReady(server);
  if (Number.isNaN(readyAfterMs)) throw new Error('bench: /readyz did not answer 200 within 120 s');
  phases.push({ name: 'restart with the saved indexes: the first 200 queries after /readyz', listeningAfterMs: server.listeningAfterMs, readyAfterMs, ...(await timeAll(server, queries)) });
  log(describe(phases.at(-1)!));
  await sleep(Math.max(0, 75_000 - (performance.now() - server.spawnedAt)));
  phases.push({ name: 'steady state, 75 s after start', ...(await timeAll(server, queries)) });
  log(describe(phases.at(-1)!));

  const loads: HttpLoad[] = [];
  const loadBoth = async (processes: string) => {
    for (const [name, paths] of [
      ['search page (HTML, uncached)', queries.map((text) => `/search?q=${q(text)}`)],
      ['GET /api/search, hybrid (uncached)', queries.map((text) => `/api/search?q=${q(text)}&limit=10`)],
    ] as const) {
      loads.push(await load(server, `${name}, ${processes}`, paths));
      const l = loads.at(-1)!;
      log(`${l.name}: ${Math.round(l.requestsPerSecond)} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms, errors ${l.errors}, timeouts ${l.timeouts}, non-2xx ${l.non2xx}`);
    }
  };
  await loadBoth('1 process');
  await server.stop();
  // One process per core: the workers adopt the saved indexes; warm them with the queries before measuring.
  server = await startServe({ ...env, WEB_CONCURRENCY: '2' });
  for (let round = 0; round < 3; round++) await timeAll(server, queries);
  await loadBoth('WEB_CONCURRENCY=2');
  await server.stop();
  return { phases, loads };
}
