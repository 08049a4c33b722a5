/**
 * What the benchmarks that measure through HTTP share: the 74,728-paper SQLite store (built once with the
 * CLI, import then embed, and reused), and a real `paperboy serve` on it as a child process.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = process.env.PAPERBOY_CORPUS ?? path.join(root, '../shared/data/arxiv_cs_daily/arxiv_cs_daily_2025-03_2026-07.jsonl.gz');

/** The environment of a bench server: its store, no demo, no jobs, an OS-chosen port on loopback. */
export function benchEnv(dataDir: string): NodeJS.ProcessEnv {
  return { ...process.env, DATA_DIR: dataDir, DEMO_CORPUS: 'off', JOBS: 'off', LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1' };
}

/** Runs a `paperboy` command to completion and returns its standard output. */
export function cli(env: NodeJS.ProcessEnv, ...args: string[]): string {
  return execFileSync(process.execPath, [path.join(root, 'bin/paperboy.js'), ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Makes sure the store under `env` holds the corpus with vectors (imports and embeds on first use); returns its paper count. */
export function ensureBenchStore(env: NodeJS.ProcessEnv, log: (line: string) => void = console.log): number {
  const papers = JSON.parse(cli(env, 'stats', '--json')).papers as number;
  if (papers >= 70_000) return papers;
  if (!existsSync(corpus)) throw new Error(`bench: no corpus at ${corpus} (set PAPERBOY_CORPUS)`);
  log(`Building the bench store in ${env.DATABASE_URL ? 'PostgreSQL' : env.DATA_DIR} (import, then embed) …`);
  cli(env, 'import', corpus);
  cli(env, 'embed');
  return JSON.parse(cli(env, 'stats', '--json')).papers as number;
}

/** A running `paperboy serve`: where it answers, how long it took to listen, how to stop it. */
export interface ServeProcess {
  url: string;
  listeningAfterMs: number;
  /** performance.now() when the process was spawned. */
  spawnedAt: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `paperboy serve` (with `nodeArgs`, e.g. --cpu-prof) and resolves once it listens. */
export async function startServe(env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<ServeProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'bin/paperboy.js'), 'serve'], { env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const m = / at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  child.stdout!.resume();
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, listeningAfterMs: performance.now() - started, spawnedAt: started, process: child, stop };
}

/**
 * Polls /readyz (every 100 ms, at most 120 s) until it answers 200, as a load balancer would; returns ms
 * since spawn, or NaN if it never did (or the build has no /readyz, for A/B runs against old commits).
 */
export async function untilReady(serve: ServeProcess): Promise<number> {
  for (let i = 0; i < 1200; i++) {
    const res = await fetch(`${serve.url}/readyz`).catch(() => undefined);
    await res?.arrayBuffer();
    if (res?.status === 200) return performance.now() - serve.spawnedAt;
    if (res?.status === 404) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return NaN;
}
