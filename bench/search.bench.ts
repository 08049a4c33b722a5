/**
 * `npm run bench:search`: search speed and quality on the 74,728-paper arXiv corpus.
 *
 * - Latency: 200 fixed queries (100 of 2–3 title words, 100 of 12–20 abstract words; seeded, see
 *   `benchmarkQueries`), 10 results each, one at a time after 40 untimed warm-up queries: p50 and p99 per
 *   Paperboy mode and for MiniSearch, Orama and FlexSearch (devDependencies, used only here).
 * - Quality: nDCG@10 of every engine on the label-free evaluation set of `npm run eval:search` (the
 *   first --quality-per-type queries of each type, default 100: outside engines are slow on long queries).
 * - Embedding speed of the default embedder (title + abstract, batches of 256), when there is one.
 *
 * Prints markdown tables and the load average; the figures in docs/benchmarks.md come from here.
 * Options: --engines minisearch,orama,flexsearch (default all; `none` for Paperboy alone), --embed N
 * (abstracts to embed, default 5000), --quality-per-type N.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import FlexSearch from 'flexsearch';
import MiniSearch from 'minisearch';
import { DEFAULT_CORPUS } from '../src/search/eval/corpus.ts';
import { DEFAULT_EVAL_OPTIONS, openCorpusEvaluation, withHeldOut } from '../src/search/eval/corpus-eval.ts';
import { benchmarkQueries } from '../src/search/eval/eval-set.ts';
import { evaluateRanker, percentile, type ModeResult, type Ranker } from '../src/search/eval/harness.ts';
import { defaultEmbedder, storeRankers } from '../src/search/eval/rankers.ts';
import { fold, STOPWORDS } from '../src/search/tokenize.ts';
import { httpSearchBench } from './search-http.ts';

const BENCH_SEED = 42;
const PAGE = 10;

const { values } = parseArgs({
  options: {
    engines: { type: 'string', default: 'minisearch,orama,flexsearch' },
    embed: { type: 'string', default: '5000' },
    'quality-per-type': { type: 'string', default: '100' },
    // The HTTP half (search-http.ts) on the store under BENCH_DATA_DIR: `off` skips it.
    http: { type: 'string', default: 'on' },
  },
});
const log = (line: string) => console.error(line);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(', ');
const loads = [load()];
log(`node ${process.version}, ${os.cpus().length} cores, load average ${loads[0]}`);

const evaluation = await openCorpusEvaluation(DEFAULT_CORPUS, { ...DEFAULT_EVAL_OPTIONS, log });
const { keyword, natural } = benchmarkQueries(evaluation.papers, BENCH_SEED);
const timedQueries = [...keyword.map((text) => ({ kind: 'keyword', text })), ...natural.map((text) => ({ kind: 'natural', text }))];
// Outside engines take seconds per long query, so quality is scored on the first N labelled queries of each type (the same for all).
const perType = Number(values['quality-per-type']);
const labelled = evaluation.queries.filter((q, _, all) => all.filter((o) => o.group === q.group).indexOf(q) < perType);

/** One engine's figures. */
interface Row {
  engine: string;
  buildSeconds?: number;
  heapMb?: number;
  all: number[];
  keyword: number[];
  natural: number[];
  quality: ModeResult;
}

async function timeQueries<Id>(ranker: Ranker<Id>) {
  for (const q of [...timedQueries.slice(0, 20), ...timedQueries.slice(-20)]) await ranker(q.text, PAGE); // warm-up, untimed
  const byKind: Record<string, number[]> = { keyword: [], natural: [] };
  for (const q of timedQueries) {
    const started = performance.now();
    await ranker(q.text, PAGE);
    byKind[q.kind].push(performance.now() - started);
  }
  return { all: [...byKind.keyword, ...byKind.natural], keyword: byKind.keyword, natural: byKind.natural };
}

const rows: Row[] = [];
const db = evaluation.store.db;
for (const { mode, ranker } of await storeRankers(db, { log })) {
  const times = await timeQueries(ranker);
  log(`Paperboy ${mode}: p50 ${percentile(times.all, 50).toFixed(1)} ms, p99 ${percentile(times.all, 99).toFixed(1)} ms; scoring the labelled queries`);
  const quality = await evaluateRanker(mode, ranker, labelled, (id) => evaluation.store.corpusIdOf.get(id));
  rows.push({ engine: `Paperboy ${mode}`, ...times, quality });
}

// ---- Embedding speed of the default embedder ------------------------------------------------------
let embedLine = 'no embedder available yet';
const embedder = await defaultEmbedder(log);
if (embedder) {
  const texts = evaluation.papers.slice(0, Number(values.embed)).map((p) => `${p.title}. ${p.abstract}`);
  await embedder.embed(texts.slice(0, 64)); // warm-up
  const started = performance.now();
  for (let i = 0; i < texts.length; i += 256) await embedder.embed(texts.slice(i, i + 256));
  const seconds = (performance.now() - started) / 1000;
  embedLine = `${embedder.id} (${embedder.dimensions} dimensions): ${texts.length} abstracts in ${seconds.toFixed(2)} s = ${Math.round(texts.length / seconds)} abstracts/s`;
}
log(`embedding: ${embedLine}`);

// ---- Outside engines, indexing the same text (title, abstract as stored, authors) ----------------
const docs = withHeldOut(evaluation.records, evaluation.evalSet.heldOutAbstracts).map((r) => ({
  id: r.arxivId!,
  title: r.title,
  abstract: r.abstract ?? '',
  authors: (r.authors ?? []).join(', '),
}));

function heapUsed(): number {
  global.gc?.();
  return process.memoryUsage().heapUsed;
}

async function outsideEngine(engine: string, build: () => Promise<Ranker<string>>): Promise<void> {
  const heapBefore = heapUsed();
  const started = performance.now();
  const ranker = await build();
  const buildSeconds = (performance.now() - started) / 1000;
  const heapMb = (heapUsed() - heapBefore) / 2 ** 20;
  log(`${engine}: index built in ${buildSeconds.toFixed(1)} s, ${Math.round(heapMb)} MB heap`);
  const times = await timeQueries(ranker);
  log(`${engine}: p50 ${percentile(times.all, 50).toFixed(1)} ms, p99 ${percentile(times.all, 99).toFixed(1)} ms; scoring the labelled queries`);
  const quality = await evaluateRanker(engine, ranker, labelled, (id) => id);
  rows.push({ engine, buildSeconds, heapMb, ...times, quality });
}

const engines = new Set(values.engines.split(',').map((s) => s.trim()));
// Each engine gets our stopword list (src/search/tokenize.ts), as we drop those words too: with its
// defaults every long query matches nearly every paper (MiniSearch: p50 240 ms, p99 1.2 s at load 2).
const stopwords = [...STOPWORDS];
if (engines.has('minisearch')) {
  // BM25+, terms combined with OR (defaults), title boosted 2× like our index.
  await outsideEngine('MiniSearch 7', async () => {
    const processTerm = (term: string) => {
      const folded = fold(term);
      return STOPWORDS.has(folded) ? null : folded;
    };
    const index = new MiniSearch({ fields: ['title', 'abstract', 'authors'], idField: 'id', processTerm });
    index.addAll(docs);
    return async (query, limit) => {
      const hits = index.search(query, { boost: { title: 2 } }).slice(0, limit);
      return { ids: hits.map((h) => h.id as string), scores: hits.map((h) => h.score) };
    };
  });
}
if (engines.has('orama')) {
  // BM25, any term matches (defaults), title boosted 2×.
  await outsideEngine('Orama 3', async () => {
    const index = create({ schema: { title: 'string', abstract: 'string', authors: 'string' } as const, components: { tokenizer: { stopWords: stopwords } } });
    for (let i = 0; i < docs.length; i += 5000) await insertMultiple(index, docs.slice(i, i + 5000), 5000);
    return async (query, limit) => {
      const result = await oramaSearch(index, { term: query, properties: ['title', 'abstract', 'authors'], limit, boost: { title: 2 } });
      return { ids: result.hits.map((h) => h.id), scores: result.hits.map((h) => h.score) };
    };
  });
}
if (engines.has('flexsearch')) {
  // Whole-word ("strict") tokens; `suggest` so that long queries return documents matching only some words.
  await outsideEngine('FlexSearch 0.8', async () => {
    const encoder = new FlexSearch.Encoder({ ...FlexSearch.Charset.Default, filter: STOPWORDS as Set<string> });
    const index = new FlexSearch.Document({ document: { id: 'id', index: ['title', 'abstract', 'authors'] }, tokenize: 'strict', encoder });
    for (const d of docs) index.add(d);
    return async (query, limit) => {
      const hits = index.search(query, { limit, suggest: true, merge: true }) as unknown as { id: string }[];
      return { ids: hits.map((h) => h.id), scores: hits.map((_, i) => -i) };
    };
  });
}
// ---- Through HTTP: a real server, cold and warm, one at a time and under 50 connections -------------
const http = values.http === 'off' ? undefined : await httpSearchBench(process.env.BENCH_DATA_DIR ?? '/tmp/paperboy-bench-75k', timedQueries.map((t) => t.text), log);
loads.push(load());

// ---- Report -----------------------------------------------------------------------------------------
const ms = (v: number[], p: number) => (v.length ? percentile(v, p).toFixed(2) : '-');
const types = labelled.reduce((s, q) => s.add(q.group), new Set<string>());
const ndcg = (r: Row, group: string) => (r.quality.groups.find((g) => g.group === group)?.ndcg10 ?? 0).toFixed(3);
console.log(`\ncorpus ${evaluation.records.length} papers; ${timedQueries.length} timed queries (${keyword.length} keyword, ${natural.length} natural), ${PAGE} results each; nDCG@10 on ${labelled.length} labelled queries`);
console.log(`load average (1, 5, 15 min): at start ${loads[0]}; at end ${loads[1]}\n`);
console.log(`| engine | index build | heap | p50 ms | p99 ms | p50 / p99 keyword | p50 / p99 natural | nDCG@10 all | ${[...types].map((t) => `nDCG@10 ${t}`).join(' | ')} |`);
console.log(`|---|---:|---:|---:|---:|---:|---:|---:|${[...types].map(() => '---:').join('|')}|`);
for (const r of rows) {
  const build = r.buildSeconds === undefined ? '(SQLite store)' : `${r.buildSeconds.toFixed(1)} s`;
  const heap = r.heapMb === undefined ? '-' : `${Math.round(r.heapMb)} MB`;
  console.log(
    `| ${r.engine} | ${build} | ${heap} | ${ms(r.all, 50)} | ${ms(r.all, 99)} | ${ms(r.keyword, 50)} / ${ms(r.keyword, 99)} | ${ms(r.natural, 50)} / ${ms(r.natural, 99)} | ${r.quality.all.ndcg10.toFixed(3)} | ${[...types].map((t) => ndcg(r, t)).join(' | ')} |`,
  );
}
console.log(`\nembedding: ${embedLine}`);
if (http) {
  console.log('\nThrough HTTP (`paperboy serve`, the 74,728-paper SQLite store, GET /api/search hybrid, 10 results, one at a time):\n');
  console.log('| phase | listening after | ready after | first query | p50 | p99 |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const seconds = (ms: number | undefined) => (ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`);
  for (const p of http.phases) console.log(`| ${p.name} | ${seconds(p.listeningAfterMs)} | ${seconds(p.readyAfterMs)} | ${p.first.toFixed(1)} ms | ${p.p50.toFixed(1)} ms | ${p.p99.toFixed(1)} ms |`);
  console.log('\nUnder 50 connections for 10 s, every request a different query, past the response cache:\n');
  console.log('| URL | req/s | p50 | p99 | errors | timeouts | non-2xx |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const l of http.loads) console.log(`| ${l.name} | ${Math.round(l.requestsPerSecond)} | ${l.p50} ms | ${l.p99} ms | ${l.errors} | ${l.timeouts} | ${l.non2xx} |`);
}
await db.close();
