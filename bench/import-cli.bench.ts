/**
 * `npm run bench:import`: the whole `paperboy import` process on the 74,728-paper arXiv corpus, as a user
 * runs it — start-up, migrations, the file check, parsing on a second core, writing, closing — into a fresh
 * store and then again unchanged. Prints wall seconds, papers/s, CPU seconds (user+sys of the process, all
 * threads) and peak RSS from /usr/bin/time, with the load average before and after each run.
 *
 *   --runs N        repeat each store N times (default 1); medians are printed
 *   --one-thread    parse on the writing thread (the path before the worker), to compare
 *   --postgres      also PostgreSQL (PAPERBOY_BENCH_PG_URL or PAPERBOY_TEST_PG_URL)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_PG_URL, createBenchDatabase } from './bench-pg.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = process.env.PAPERBOY_CORPUS ?? path.join(root, '../shared/data/arxiv_cs_daily/arxiv_cs_daily_2025-03_2026-07.jsonl.gz');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) > 0 && args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 1;
const oneThread = args.includes('--one-thread');
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

interface Run { wall: number; cpu: number; rssMb: number; papers: number; loadBefore: string; loadAfter: string }

/** Runs `import` and parses the counts it prints and the figures /usr/bin/time adds on stderr. */
function measured(env: NodeJS.ProcessEnv): Run {
  const loadBefore = load();
  const started = performance.now();
  const r = spawnSyncTimed(env);
  const wall = (performance.now() - started) / 1000;
  const m = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  const counts = /(\d+) added, (\d+) updated, (\d+) unchanged, (\d+) skipped/.exec(r.stdout);
  if (!m || !counts) throw new Error(`bench: import failed:\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(-2000)}`);
  const papers = counts.slice(1).reduce((a, b) => a + Number(b), 0);
  return { wall, cpu: Number(m[1]) + Number(m[2]), rssMb: Math.round(Number(m[3]) / 1024), papers, loadBefore, loadAfter: load() };
}

function spawnSyncTimed(env: NodeJS.ProcessEnv): { stdout: string; stderr: string } {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %M', process.execPath, path.join(root, 'bin/paperboy.js'), 'import', ...(oneThread ? ['--one-thread'] : []), CORPUS], {
    env, encoding: 'utf8', maxBuffer: 1 << 28,
  });
  return { stdout: r.stdout, stderr: r.stderr };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function print(label: string, pass: string, rs: Run[]) {
  const wall = median(rs.map((r) => r.wall));
  const n = rs[0].papers;
  console.log(
    `${label.padEnd(9)} ${pass.padEnd(10)} ${n} papers  ${wall.toFixed(1).padStart(5)} s wall  ${String(Math.round(n / wall)).padStart(6)} papers/s  ` +
      `cpu ${median(rs.map((r) => r.cpu)).toFixed(1)} s  peak RSS ${median(rs.map((r) => r.rssMb))} MB  load ${rs.map((r) => `${r.loadBefore} → ${r.loadAfter}`).join('; ')}`,
  );
}

if (!fs.existsSync(CORPUS)) throw new Error(`bench: corpus not found at ${CORPUS} (set PAPERBOY_CORPUS)`);
console.log(`paperboy import ${oneThread ? '--one-thread ' : ''}(whole process), node ${process.version}, ${os.cpus().length} cores, ${runs} run(s) each`);

const stores: { label: string; make: () => Promise<{ env: NodeJS.ProcessEnv; done: () => Promise<void> }> }[] = [
  {
    label: 'sqlite',
    make: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-import-'));
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn' };
      delete env.DATABASE_URL;
      return { env, done: async () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
  },
];
if (args.includes('--postgres')) {
  const server = BENCH_PG_URL;
  if (!server) throw new Error('bench: --postgres needs PAPERBOY_BENCH_PG_URL or PAPERBOY_TEST_PG_URL');
  stores.push({
    label: 'postgres',
    make: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-import-'));
      const pg = await createBenchDatabase(server, 'import');
      return { env: { ...process.env, DATA_DIR: dir, DATABASE_URL: pg.url, LOG_LEVEL: 'warn' }, done: async () => (await pg.drop(), fs.rmSync(dir, { recursive: true, force: true })) };
    },
  });
}
for (const store of stores) {
  const fresh: Run[] = [];
  const again: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const s = await store.make();
    try {
      fresh.push(measured(s.env));
      again.push(measured(s.env));
    } finally {
      await s.done();
    }
  }
  print(store.label, 'fresh', fresh);
  print(store.label, 'unchanged', again);
}
