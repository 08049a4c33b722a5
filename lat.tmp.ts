/** Latency of keyword and hybrid search on the big corpus: p50/p99 for 2-3-word and 12-20-word queries. */
import os from 'node:os';
import { openDb, migrate } from './src/db/database.ts';
import { DEFAULT_CORPUS, readCorpus, toCorpusPaper } from './src/search/eval/corpus.ts';
import { benchmarkQueries } from './src/search/eval/eval-set.ts';
import { search, activeVectorIndex, configuredEmbedder } from './src/search/search.service.ts';

const target = process.env.PG_URL ? { postgresUrl: process.env.PG_URL } : { sqliteFile: process.env.SQLITE ?? '/tmp/big3/paperboy.sqlite' };
const db = openDb(target);
await migrate(db);
const papers = (await readCorpus(DEFAULT_CORPUS)).map(toCorpusPaper);
const { keyword, natural } = benchmarkQueries(papers, 42);
const embedder = await configuredEmbedder();
let t0 = performance.now();
const active = await activeVectorIndex(db);
console.log(`vector index: ${active?.index.size ?? 0} vectors loaded in ${(performance.now() - t0).toFixed(0)} ms (${active?.embedder.id})`);
if (active) { t0 = performance.now(); await active.index.ready(); console.log(`graph: ${active.index.usesGraph} after ${(performance.now() - t0).toFixed(0)} ms`); }
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const modes = (process.env.MODES ?? 'keyword,hybrid').split(',') as ('keyword' | 'hybrid' | 'semantic')[];
for (const mode of modes) {
  for (const [kind, qs] of [['2-3 words', keyword], ['12-20 words', natural]] as const) {
    for (const q of qs) await search(db, { query: q, mode, limit: 10 });
    const times: number[] = [];
    let used = '';
    for (const q of qs) {
      const s = performance.now();
      const r = await search(db, { query: q, mode, limit: 10 });
      times.push(performance.now() - s);
      used = r.mode;
    }
    console.log(`${mode.padEnd(8)} ${kind.padEnd(12)} p50 ${pct(times, 50).toFixed(1)} ms  p99 ${pct(times, 99).toFixed(1)} ms  max ${Math.max(...times).toFixed(1)} (mode used: ${used})`);
  }
}
console.log(`load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
await db.close();
