/**
 * `npm run bench:scale`: how cost grows with the store. For each size it builds a store with the whole CLI —
 * the 74,728-paper corpus, then copies of it with new arXiv ids (months 1001–1912, which the real corpus has
 * none of) and the words of every title and abstract shuffled (a copy keeps the vocabulary and lengths, not the
 * postings), so 300k and 1M stores are the corpus replicated ×4 and ×13.4 — imports it (`paperboy import`, timed),
 * embeds it (`paperboy embed`, static embedder, timed), then starts `paperboy serve` on it and measures start-up
 * (until it listens and until /readyz answers 200), RSS after warm-up, and p50/p99 of uncached requests (each
 * URL distinct, so the 10 s response cache never answers): home, paper page, keyword and hybrid search.
 *
 *   --sizes 75000,300000   stores to build (default 75000,300000; 1000000 is possible given the time)
 *   --postgres             PostgreSQL instead of SQLite (PAPERBOY_BENCH_PG_URL or PAPERBOY_TEST_PG_URL)
 *   --requests N           requests per route (default 60)
 *   --keep DIR             build the stores under DIR and keep them (default: a temp dir, removed)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip, gunzipSync } from 'node:zlib';
import { BENCH_PG_URL, createBenchDatabase } from './bench-pg.ts';
import { benchEnv, startServe, untilReady } from './serve-process.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = process.env.PAPERBOY_CORPUS ?? path.join(root, '../shared/data/arxiv_cs_daily/arxiv_cs_daily_2025-03_2026-07.jsonl.gz');
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const SIZES = (arg('--sizes') ?? '75000,300000').split(',').map(Number);
const REQUESTS = Number(arg('--requests') ?? 60);
const postgres = process.argv.includes('--postgres');
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const base = arg('--keep') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-scale-'));
fs.mkdirSync(base, { recursive: true });

let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
function shuffled(text: string): string {
  const words = text.split(/\s+/);
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [words[i], words[j]] = [words[j], words[i]];
  }
  return words.join(' ');
}

/** Writes `copy` (1, 2, …) of the corpus: new ids YYMM.NNNNN with YY 10–19, words shuffled. */
async function writeCopy(lines: string[], copy: number, count: number, file: string): Promise<void> {
  const gz = createGzip({ level: 1 });
  const out = fs.createWriteStream(file);
  gz.pipe(out);
  for (let i = 0; i < count; i++) {
    const r = JSON.parse(lines[i]) as { id: string; title: string; summary: string };
    // 12 months × 10 years = 120 prefixes, 99,999 ids each: copy c, line i → a unique id.
    const n = (copy - 1) * lines.length + i;
    const prefix = 120 - 1 - Math.floor(n / 99_999);
    const id = `${10 + Math.floor(prefix / 12)}${String((prefix % 12) + 1).padStart(2, '0')}.${String((n % 99_999) + 1).padStart(5, '0')}`;
    const line = JSON.stringify({ ...r, id, title: shuffled(r.title), summary: shuffled(r.summary), abs: undefined, pdf: undefined });
    if (!gz.write(line + '\n')) await new Promise<void>((resolve) => gz.once('drain', () => resolve()));
  }
  gz.end();
  await new Promise<void>((resolve) => out.once('finish', () => resolve()));
}

function run(env: NodeJS.ProcessEnv, ...args: string[]): { seconds: number; out: string; rssMb: number } {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', process.execPath, path.join(root, 'bin/paperboy.js'), ...args], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`paperboy ${args.join(' ')}: ${r.stderr.slice(-2000)}`);
  return { seconds: (performance.now() - started) / 1000, out: r.stdout, rssMb: Math.round(Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024) };
}

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const WORDS = ['diffusion', 'segmentation', 'transformer', 'graph', 'robot', 'speech', 'retrieval', 'quantization', 'language', 'agents', 'benchmark', 'video', 'medical', 'federated', 'privacy'];

log(`bench:scale on ${postgres ? 'PostgreSQL' : 'SQLite'}, sizes ${SIZES.join(', ')}, node ${process.version}, ${os.cpus().length} cores, load ${load()}`);
const lines = gunzipSync(fs.readFileSync(CORPUS)).toString('utf8').split('\n').filter(Boolean);
const pg = postgres ? await createBenchDatabase(BENCH_PG_URL ?? '', 'scale') : undefined;
const dataDir = path.join(base, postgres ? 'pg' : 'sqlite');
fs.mkdirSync(dataDir, { recursive: true });
const env: NodeJS.ProcessEnv = { ...benchEnv(dataDir), ...(pg ? { DATABASE_URL: pg.url } : {}) };
if (!pg) delete env.DATABASE_URL;

const rows: string[] = [];
let have = 0;
let copy = 0;
const sample: string[] = lines.filter((_, i) => i % 211 === 0).map((l) => (JSON.parse(l) as { id: string }).id);
for (const size of SIZES) {
  // Grow the store to `size`: the corpus first, then shuffled copies.
  let importSeconds = 0;
  let imported = 0;
  let importRss = 0;
  while (have < size) {
    const count = Math.min(lines.length, size - have);
    const file = path.join(base, `copy-${copy}.jsonl.gz`);
    if (copy === 0) fs.writeFileSync(file, fs.readFileSync(CORPUS));
    else await writeCopy(lines, copy, count, file);
    log(`importing ${count} papers (copy ${copy}), load ${load()}`);
    const r = run(env, 'import', file);
    importSeconds += r.seconds;
    imported += count;
    importRss = Math.max(importRss, r.rssMb);
    have += count;
    copy++;
    fs.rmSync(file);
  }
  log(`embedding, load ${load()}`);
  const embed = run(env, 'embed');
  const dbSize = pg ? '-' : `${Math.round(fs.statSync(path.join(dataDir, 'paperboy.sqlite')).size / 2 ** 20)} MB`;

  // Start-up: until it listens, and until /readyz says the search indexes are loaded.
  const serve = await startServe(env);
  const readyMs = await untilReady(serve);
  const routes: [string, (i: number) => string][] = [
    ['home', (i) => `/?bench=${i}`],
    ['paper page', (i) => `/papers/${sample[i % sample.length]}`],
    ['keyword search', (i) => `/api/search?q=${WORDS[i % WORDS.length]}+${WORDS[(i * 7 + 3) % WORDS.length]}&limit=20&bench=${i}`],
    ['hybrid search', (i) => `/api/search?q=${WORDS[i % WORDS.length]}+${WORDS[(i * 5 + 1) % WORDS.length]}&mode=hybrid&limit=20&bench=${i}`],
  ];
  const timings: string[] = [];
  for (const [name, url] of routes) {
    for (let i = 0; i < 5; i++) await (await fetch(serve.url + url(10_000 + i))).arrayBuffer();
    const ms: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t = performance.now();
      const res = await fetch(serve.url + url(i));
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${name} ${url(i)}: HTTP ${res.status}`);
      ms.push(performance.now() - t);
    }
    timings.push(`${name} ${q(ms, 0.5).toFixed(0)}/${q(ms, 0.99).toFixed(0)} ms`);
  }
  const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${serve.process.pid}/status`, 'utf8'))![1]) / 1024;
  await serve.stop();
  const row =
    `${String(have).padStart(8)} papers: import ${imported} in ${importSeconds.toFixed(0)} s (${Math.round(imported / importSeconds)}/s, peak RSS ${importRss} MB), ` +
    `embed ${embed.seconds.toFixed(0)} s (peak RSS ${embed.rssMb} MB), store ${dbSize}; serve: listening ${(serve.listeningAfterMs / 1000).toFixed(1)} s, ready ${(readyMs / 1000).toFixed(1)} s, ` +
    `RSS ${rss.toFixed(0)} MB; p50/p99 ${timings.join(', ')}; load ${load()}`;
  rows.push(row);
  log(row);
}
console.log(`\n${postgres ? 'PostgreSQL' : 'SQLite'}:\n${rows.join('\n')}`);
if (pg) await pg.drop();
if (!arg('--keep')) fs.rmSync(base, { recursive: true, force: true });
