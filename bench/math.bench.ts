/**
 * `npm run bench:math`: what typeset titles cost. A temp SQLite store holds one day of the 30 corpus papers
 * whose titles have the most TeX (and their abstracts), and a control day of 30 plain titles; the day pages
 * and a search over them are requested with the response cache off, after the server is warmed up on an
 * unrelated page. "first" is a page's first request (its titles not typeset yet), p50/p95 and CPU time per
 * request are over the next runs (CPU time, since on a shared machine the wall clock counts others' work).
 *
 *   npm run bench:math [-- path/to/corpus.jsonl.gz]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip, gzipSync } from 'node:zlib';
import { loadConfig } from '../src/config.ts';
import { migrate, openDb } from '../src/db/database.ts';
import { createApp } from '../src/http/app.ts';
import type { PaperRecord } from '../src/papers/paper.ts';
import { addRecords } from '../src/papers/papers.service.ts';

const RUNS = 200;
const corpus = process.argv[2] ?? path.join(import.meta.dirname, '../../shared/data/arxiv_cs_daily/arxiv_cs_daily_2025-03_2026-07.jsonl.gz');

// The titles with the most `$` first: the heaviest day a store can see.
const withMath: { id: string; title: string; summary: string }[] = [];
const plain: { id: string; title: string; summary: string }[] = [];
for await (const line of createInterface({ input: createReadStream(corpus).pipe(createGunzip()) })) {
  const r = JSON.parse(line) as { id: string; title: string; summary: string };
  if (r.title.includes('$')) withMath.push(r);
  else if (plain.length < 30 && r.summary.includes('$')) plain.push(r);
}
const dollars = (s: string) => s.split('$').length;
withMath.sort((a, b) => dollars(b.title) - dollars(a.title));

const record = (r: { id: string; title: string; summary: string }, day: string): PaperRecord => ({
  source: 'arxiv-jsonl',
  arxivId: r.id,
  title: r.title.replace(/\s+/g, ' '),
  abstract: r.summary,
  authors: ['Ada Lovelace', 'Alan Turing'],
  categories: ['cs.LG'],
  announcedOn: day,
});

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-math-bench-'));
const db = openDb({ sqliteFile: path.join(dir, 'paperboy.sqlite') });
try {
  await migrate(db);
  await addRecords(db, [...withMath.slice(0, 30).map((r) => record(r, '2026-03-02')), ...plain.map((r) => record(r, '2026-03-03'))]);
  const app = createApp({ db, config: { ...loadConfig({}), logLevel: 'silent' }, cacheTtlMs: 0 });
  const pages: [string, string][] = [
    ['day, 30 TeX titles', '/day/2026-03-02'],
    ['day, 30 plain titles', '/day/2026-03-03'],
    ['search, TeX titles', '/search?q=learning'],
  ];
  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
  console.log(`30 titles with ${withMath.slice(0, 30).reduce((n, r) => n + (dollars(r.title) - 1) / 2, 0)} formulas, e.g. ${withMath[0].title}\n`);
  // Warm-up on pages without these titles: JIT, prepared statements. Not search: its first request starts
  // building the search indexes in the background, which would bill the day pages for their CPU.
  for (let i = 0; i < 30; i++) for (const url of ['/archive', '/trending?cat=cs.CV']) await (await app.request(url)).text();
  console.log('| page | first request | p50 | p95 | CPU/request | HTML | gzip |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, url] of pages) {
    const time = async () => {
      const start = process.hrtime.bigint();
      const res = await app.request(url);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${url}: status ${res.status}`);
      return { ms: Number(process.hrtime.bigint() - start) / 1e6, size: body.length, gzip: gzipSync(body).length };
    };
    const first = await time();
    // The first search builds the search indexes in the background; its runs after that are not billed for it.
    if (url.startsWith('/search')) for (let i = 0; i < RUNS * 2; i++) await time();
    const times: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) times.push((await time()).ms);
    const used = process.cpuUsage(cpu);
    times.sort((a, b) => a - b);
    const cpuMs = (used.user + used.system) / 1000 / RUNS;
    console.log(`| ${name} | ${first.ms.toFixed(1)} ms | ${percentile(times, 50).toFixed(2)} ms | ${percentile(times, 95).toFixed(2)} ms | ${cpuMs.toFixed(2)} ms | ${(first.size / 1024).toFixed(1)} KB | ${(first.gzip / 1024).toFixed(1)} KB |`);
  }
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
