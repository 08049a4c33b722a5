/**
 * `npm run bench:abuse`: the worst requests an anonymous visitor can send, against a real `paperboy serve`
 * on the 74,728-paper corpus, each timed through HTTP while a probe client requests a static asset every few
 * milliseconds: the probe's slowest answer during a case is how long that case held the server's event loop
 * (nothing may hold it for more than 50 ms). Prints a table and the slowest request.
 *
 *   npm run bench:abuse                     # SQLite store under /tmp/paperboy-bench-75k (built on first run)
 *   DATABASE_URL=postgres://… npm run bench:abuse
 *
 * The store is built once with the CLI (import + embed) and reused; set BENCH_DATA_DIR to move it.
 */
import { loadavg } from 'node:os';
import { benchEnv, ensureBenchStore, startServe } from './serve-process.ts';

const dataDir = process.env.BENCH_DATA_DIR ?? '/tmp/paperboy-bench-75k';
const papers = ensureBenchStore(benchEnv(dataDir));

const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('&');
const words = (n: number) => Array.from({ length: n }, (_, i) => ['learning', 'model', 'neural', 'graph', 'data', 'network', 'training', 'image'][i % 8] + (i >= 8 ? i : '')).join(' ');
const q = encodeURIComponent;
/** [what, path]: each the most a limit allows, or a query known to be expensive. */
const CASES: [string, string][] = [
  ['20 author= values (the most allowed)', `/api/search?q=learning&${many(20, (i) => `author=${['wang', 'li', 'zhang', 'liu', 'chen'][i % 5]}${i}`)}`],
  ['20 common surnames', `/api/search?q=learning&${many(20, (i) => `author=${['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou'][i % 10]}`)}`],
  ['300 author= values (refused)', `/api/search?q=learning&${many(300, (i) => `author=name${i}`)}`],
  ['20 author: operators in q', `/api/search?q=${q(`model ${many(20, (i) => `author:name${i}`).replace(/&/g, ' ')}`)}`],
  ['90 author: operators in q (refused)', `/api/search?q=${q(`model ${many(90, (i) => `author:name${i}`).replace(/&/g, ' ')}`)}`],
  ['20 cat + 20 notcat on trending', `/api/trending?${many(20, (i) => `cat=cs.X${i}`)}&${many(20, (i) => `notcat=cs.Y${i}`)}`],
  ['archive exclusion on trending', '/api/trending?notcat=cs'],
  ['archive filter, last page', '/api/trending?cat=cs&page=2400'],
  ['page 1,000,000 of a list', '/api/trending?page=1000000'],
  ['stopwords only, keyword', `/api/search?q=${q('the of and')}&mode=keyword`],
  ['stopwords only, hybrid', `/api/search?q=${q('the of and')}`],
  ['exclusion of a stopword only', `/api/search?q=${q('-the')}`],
  ['one very common word, deep offset', `/api/search?q=learning&mode=keyword&offset=100000&limit=100`],
  ['100 words (the most allowed), keyword', `/api/search?q=${q(words(100))}&mode=keyword`],
  ['100 words, hybrid', `/api/search?q=${q(words(100))}`],
  ['12 quoted phrases', `/api/search?q=${q(Array.from({ length: 12 }, (_, i) => `"deep ${['learning', 'model', 'network'][i % 3]}"`).join(' '))}`],
  ['long query with a filter', `/api/search?q=${q(words(60))}&cat=cs.CV&since=2026-01-01`],
  ['search page, broad word', `/search?q=model`],
  ['search feed, broad word', `/feeds/search.xml?q=model`],
  ['search feed, stopword', `/feeds/search.xml?q=the`],
  ['archive page', '/archive'],
];

const server = await startServe(benchEnv(dataDir));
try {
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}, ${papers.toLocaleString('en')} papers`);
  // Warm the indexes the way a running server has them (term index, vector index, HNSW graph).
  for (let i = 0; i < 60; i++) {
    const t = await time(`${server.url}/api/search?q=${q(words(30))}`);
    if (i > 5 && t.ms < 30) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const first = await (await fetch(`${server.url}/api/papers`)).json();
  CASES.push(['similar papers (50)', `/api/papers/${first.papers[0].arxivId}/similar?limit=50`]);
  const rows: { name: string; status: number; p50: number; max: number; held: number }[] = [];
  for (const [name, url] of CASES) {
    await time(server.url + url); // a first run fills caches of this request's parts
    const probe = startProbe(server.url);
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i < 5; i++) {
      const t = await time(server.url + url, i);
      times.push(t.ms);
      status = t.status;
    }
    const held = await probe.stop();
    times.sort((a, b) => a - b);
    rows.push({ name, status, p50: times[2], max: times[4], held });
  }
  console.log('\n| request | status | p50 | max | event loop held (probe max) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.status} | ${r.p50.toFixed(1)} ms | ${r.max.toFixed(1)} ms | ${r.held.toFixed(1)} ms |`);
  const slowest = rows.reduce((a, b) => (b.max > a.max ? b : a));
  const holder = rows.reduce((a, b) => (b.held > a.held ? b : a));
  console.log(`\nslowest request: ${slowest.name} (${slowest.max.toFixed(1)} ms); longest event-loop hold: ${holder.name} (${holder.held.toFixed(1)} ms)`);

  // Two clients looping on the slowest allowed request, and a reader loading the (uncached) home page meanwhile.
  const worst = CASES.find(([name]) => name === slowest.name)![1];
  const home = async () => {
    const times: number[] = [];
    const until = performance.now() + 10_000;
    while (performance.now() < until) times.push((await time(`${server.url}/`, times.length)).ms);
    return times.sort((a, b) => a - b);
  };
  const quiet = await home();
  let attacking = true;
  const attacker = async () => {
    let n = 0;
    while (attacking) await time(server.url + worst, n++);
    return n;
  };
  const attackers = [attacker(), attacker()];
  const loaded = await home();
  attacking = false;
  const sent = (await Promise.all(attackers)).reduce((a, b) => a + b, 0);
  const pct = (t: number[], p: number) => t[Math.min(t.length - 1, Math.floor((t.length * p) / 100))].toFixed(1);
  console.log(`\nuncached home page alone: p50 ${pct(quiet, 50)} ms, p99 ${pct(quiet, 99)} ms (${quiet.length} requests)`);
  console.log(`…while 2 clients loop on "${slowest.name}" (${sent} requests in 10 s): p50 ${pct(loaded, 50)} ms, p99 ${pct(loaded, 99)} ms (${loaded.length} requests)`);
} finally {
  await server.stop();
}

/** A request's wall time and status; the cache-busting `n` keeps the response cache out of the figure. */
async function time(url: string, n = 0): Promise<{ ms: number; status: number }> {
  const sep = url.includes('?') ? '&' : '?';
  const start = performance.now();
  const res = await fetch(`${url}${sep}_n=${n}${Math.random().toString(36).slice(2, 8)}`);
  await res.arrayBuffer();
  return { ms: performance.now() - start, status: res.status };
}

/** Requests a static asset back to back; `stop` gives the slowest answer minus the quickest (the time the loop was held). */
function startProbe(base: string): { stop(): Promise<number> } {
  let running = true;
  const times: number[] = [];
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      await (await fetch(`${base}/assets/favicon.svg`)).arrayBuffer();
      times.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return times.length ? Math.max(...times) - Math.min(...times) : 0;
    },
  };
}
