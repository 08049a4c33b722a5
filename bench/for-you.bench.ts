/**
 * `npm run bench:for-you [papers]`: the For-you page over HTTP on one process, with a seeded reader (5
 * upvotes, 2 saved papers) — on the demo store, or with `papers` > 0 on a store of that many arXiv corpus
 * papers (the newest, with their vectors from the static embedder). Phases: cold (the server just
 * started, the store has no vocabulary: the context is built in the worker while the page is asked for
 * every 250 ms), warm (200 loads), and after a vote (the load right after each of 10 votes: its time and
 * whether the ranking changed). The client runs in a worker thread, so what the main thread's 2 ms timer
 * sees is the server's: the longest gap between ticks, and that gap bounded by the main thread's CPU time
 * in it (/proc/thread-self/schedstat; on a loaded machine a gap is mostly waiting for a core). Last, for
 * comparison, the same context build and training on the main thread, as a page load did before serving.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { loopMonitor } from '../test/loop-monitor.ts';
import { addTestUser, sessionCookieFor } from '../test/accounts-fixtures.ts';
import { loadConfig } from '../src/config.ts';
import { createCollection } from '../src/collections/collections.service.ts';
import { upsertPapers } from '../src/collections/collections.repo.ts';
import { setVote } from '../src/community/votes.service.ts';
import { migrate, openDb } from '../src/db/database.ts';
import { loadDemoIfEmpty } from '../src/demo/load-demo.ts';
import { getEmbedder } from '../src/embed/embedder.ts';
import { runEmbeddingJob } from '../src/embed/embed.service.ts';
import { startServer } from '../src/http/server.ts';
import { addRecords } from '../src/papers/papers.service.ts';
import { buildContext } from '../src/recommend/context.ts';
import { trainReaderModel } from '../src/recommend/model.ts';
import { newestPaperIds, paperTexts } from '../src/recommend/recommend.repo.ts';
import { prepareRecommendations, readerSignals, storeContext } from '../src/recommend/serving.ts';
import { fitVocabulary } from '../src/recommend/tfidf.ts';
import { DEFAULT_CORPUS, readCorpus } from '../src/search/eval/corpus.ts';
import { percentile } from '../src/search/eval/harness.ts';

const corpusPapers = Number(process.argv[2] ?? 0);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-for-you-bench-'));
const db = openDb({ sqliteFile: path.join(dir, 'paperboy.sqlite') });
await migrate(db);
let t = performance.now();
if (corpusPapers > 0) {
  // The newest records of the arXiv corpus, as an import would add them.
  const records = (await readCorpus(DEFAULT_CORPUS)).filter((r) => r.announcedOn).sort((a, b) => (a.announcedOn! < b.announcedOn! ? -1 : 1)).slice(-corpusPapers);
  for (let at = 0; at < records.length; at += 1000) await addRecords(db, records.slice(at, at + 1000));
} else await loadDemoIfEmpty(db);
const config = { ...loadConfig({}), logLevel: 'silent' as const, host: '127.0.0.1', port: 0, publicBaseUrl: 'http://127.0.0.1', recommendations: true };
const embedder = await getEmbedder(config);
await runEmbeddingJob(db, embedder);
await embedder.close?.();
const count = Number((await db.kysely.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
console.log(`store: ${count} papers, built and embedded in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const reader = await addTestUser(db, 'reader@example.org');
const diffusion = await db.kysely.selectFrom('papers').select('id').where('title', 'like', '%iffusion%').orderBy('id', 'desc').limit(30).execute();
for (const p of diffusion.slice(0, 5)) await setVote(db, reader, p.id, true);
const saved = await createCollection(db, reader, { name: 'Generative models', visibility: 'private' });
if (saved !== 'too-many') await upsertPapers(db.kysely, saved.id, diffusion.slice(5, 7).map((p) => ({ paperId: p.id })), new Date().toISOString());

// The client: sequential GETs from a worker thread; answers the time and the paper ids shown.
const CLIENT = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ url, cookie }) => {
  const t = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  const body = await res.text();
  const ids = [...body.matchAll(/<li class="paper-item" id="paper-(\\d+)"/g)].map((m) => Number(m[1]));
  parentPort.postMessage({ ms: performance.now() - t, status: res.status, ids, preparing: body.includes('being prepared') });
});`;
const client = new Worker(CLIENT, { eval: true });
const cookie = (await sessionCookieFor(db, config, reader));
type Answer = { ms: number; status: number; ids: number[]; preparing: boolean };
const monitor = loopMonitor();
const server = await startServer(config, db, {});
const page = (): Promise<Answer> =>
  new Promise((resolve) => {
    client.once('message', resolve);
    client.postMessage({ url: `${server.url}/for-you`, cookie });
  });
const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms`;
try {
  // Cold: as `paperboy serve` starts (serve.command.ts), the context and the newest days' pool are built in the background.
  t = performance.now();
  void prepareRecommendations(db);
  monitor.take();
  const cold: Answer[] = [];
  for (;;) {
    const a = await page();
    cold.push(a);
    if (!a.preparing && a.status === 200) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const coldLoop = monitor.take();
  console.log(`cold: first ranked page ${((performance.now() - t) / 1000).toFixed(1)} s after start (${cold.length} loads; "being prepared" loads ${fmt(cold.slice(0, -1).map((a) => a.ms))}; the ranked one ${cold.at(-1)!.ms.toFixed(0)} ms); event loop: longest gap ${coldLoop.gapMs.toFixed(1)} ms, CPU-bounded ${coldLoop.stallMs.toFixed(1)} ms; load ${load()}`);

  const warm: number[] = [];
  for (let i = 0; i < 200; i++) warm.push((await page()).ms);
  const warmLoop = monitor.take();
  console.log(`warm: ${fmt(warm)} over 200 loads; event loop: longest gap ${warmLoop.gapMs.toFixed(1)} ms, CPU-bounded ${warmLoop.stallMs.toFixed(1)} ms; load ${load()}`);

  const afterVote: number[] = [];
  let changed = 0;
  let before = (await page()).ids;
  for (let i = 0; i < 10; i++) {
    await setVote(db, reader, diffusion[10 + i].id, true);
    const a = await page();
    afterVote.push(a.ms);
    if (a.ids.join() !== before.join()) changed++;
    before = a.ids;
  }
  const voteLoop = monitor.take();
  console.log(`after a vote: ${fmt(afterVote)} over 10 votes, ranking changed on the next load ${changed}/10; event loop: longest gap ${voteLoop.gapMs.toFixed(1)} ms, CPU-bounded ${voteLoop.stallMs.toFixed(1)} ms; load ${load()} on ${os.cpus().length} cores`);
  // What a page load did before serving.ts, on the main thread: fit the vocabulary, build the context, train.
  const ids = await newestPaperIds(db.kysely, 20_000);
  const texts = await paperTexts(db.kysely, ids, null);
  const signals = await readerSignals(db, reader.id, (await storeContext(db)).embedder);
  monitor.take();
  t = performance.now();
  const vocabulary = fitVocabulary(texts.map((x) => `${x.title} ${x.abstract}`), { maxFeatures: 20_000, minDf: Math.min(5, Math.max(1, Math.floor(texts.length / 50))), maxDf: texts.length < 200 ? 0.5 : 0.1 });
  const context = buildContext(texts, { embedder: null, vocabulary });
  const contextMs = performance.now() - t;
  t = performance.now();
  trainReaderModel(signals, context, new Date());
  const trainMs = performance.now() - t;
  await new Promise((r) => setTimeout(r, 10)); // the timer's next tick records the gap
  console.log(`before (the same work in the request, on the main thread): context ${contextMs.toFixed(0)} ms + training ${trainMs.toFixed(0)} ms, event loop held ${monitor.take().gapMs.toFixed(0)} ms at once; load ${load()}`);
} finally {
  monitor.stop();
  await client.terminate();
  await server.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
