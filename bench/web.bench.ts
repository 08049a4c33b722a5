/**
 * `npm run bench:web`: server time and page weight of the home, a paper and an author page, and home-page
 * throughput under 50 concurrent connections (autocannon, loopback only, bounded to 10 s).
 *
 * Needs a store with the 74,728-paper corpus:
 *   DATA_DIR=/tmp/big node bin/paperboy.js import ../shared/data/arxiv_cs_daily/arxiv_cs_daily_2025-03_2026-07.jsonl.gz
 *   DATA_DIR=/tmp/big npm run bench:web
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { openConfiguredDb } from '../src/db/open.ts';
import { createApp } from '../src/http/app.ts';
import { startServer } from '../src/http/server.ts';
import { paperUrl } from '../src/http/urls.ts';
import { countAll } from '../src/papers/papers.repo.ts';

const RUNS = 200;
const config = { ...loadConfig(), logLevel: 'silent' as const };
const db = await openConfiguredDb(config);

// `--serve`: the child process of the throughput run (the real server, with its default response cache).
if (process.argv.includes('--serve')) {
  const server = await startServer({ ...config, host: '127.0.0.1', port: 0 }, db);
  console.log(`serving at ${server.url}`);
  await new Promise(() => {});
}

const counts = await countAll(db.kysely);
console.log(`store: ${db.location}, ${counts.papers.toLocaleString('en')} papers, ${counts.authors.toLocaleString('en')} authors; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

// The paper: the top paper of the newest day (what a reader opens first). The author: the one with most papers.
const k = db.kysely;
const latest = (await k.selectFrom('papers').select('announced_on').orderBy('announced_on', 'desc').limit(1).executeTakeFirstOrThrow()).announced_on!;
const top = await k.selectFrom('papers').select(['id', 'arxiv_id as arxivId']).where('announced_on', '=', latest).orderBy('hotness', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
const author = await k.selectFrom('paper_authors').select(['author_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('author_id').orderBy('n', 'desc').limit(1).executeTakeFirstOrThrow();
const pages: [string, string][] = [
  ['home', '/'],
  ['paper', paperUrl(top)],
  ['author', `/authors/${author.author_id}`],
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

async function timings(cacheTtlMs: number) {
  const app = createApp({ db, config, cacheTtlMs });
  const rows = [];
  for (const [name, url] of pages) {
    for (let i = 0; i < 20; i++) await (await app.request(url)).text();
    const times: number[] = [];
    let body = '';
    // CPU time as well as wall time: on a shared machine the wall clock also counts other people's work.
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) {
      const start = process.hrtime.bigint();
      const res = await app.request(url);
      body = await res.text();
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (res.status !== 200) throw new Error(`${url}: status ${res.status}`);
    }
    const cpu = process.cpuUsage(cpuBefore);
    times.sort((a, b) => a - b);
    const cpuMs = (cpu.user + cpu.system) / 1000 / RUNS;
    rows.push({ name, url, p50: percentile(times, 50), p95: percentile(times, 95), cpuMs, html: body.length, gzip: gzipSync(body).length });
  }
  return rows;
}

const uncached = await timings(0);
const cached = await timings(10_000);
console.log(`\n| page | URL | uncached p50 | uncached p95 | uncached CPU/request | cached p50 | HTML | gzip |`);
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
uncached.forEach((u, i) =>
  console.log(
    `| ${u.name} | \`${u.url}\` | ${u.p50.toFixed(2)} ms | ${u.p95.toFixed(2)} ms | ${u.cpuMs.toFixed(2)} ms | ${cached[i].p50.toFixed(3)} ms | ${(u.html / 1024).toFixed(1)} KB | ${(u.gzip / 1024).toFixed(1)} KB |`,
  ),
);
await db.close();

// Throughput: the real server in its own process, so autocannon does not share its event loop.
const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const m = /at (http:\/\/\S+)/.exec(chunk.toString());
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  for (const [label, headers] of [
    ['gzip', { 'accept-encoding': 'gzip' }],
    ['identity', {}],
  ] as const) {
    const result = await autocannon({ url: `${url}/`, connections: 50, duration: 10, headers });
    console.log(
      `\nhome, 50 connections, 10 s, ${label}: ${Math.round(result.requests.average).toLocaleString('en')} req/s, ` +
        `latency p50 ${result.latency.p50} ms / p99 ${result.latency.p99} ms, ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`,
    );
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  child.kill();
}
