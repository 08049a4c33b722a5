// Trains the bundled arXiv word vectors: weighted co-occurrence counts over titles and abstracts,
// PPMI with context smoothing, and a randomized truncated SVD, all in plain TypeScript (5–11 min on these 2 cores, ~2 GB of memory).
//   node --max-old-space-size=8192 --import tsx scripts/train-arxiv-vectors.ts [--corpus FILE] [--dims 256]
//     [--window 20] [--min-count 5] [--alpha 0.75] [--eig 0] [--out FILE]
// Papers picked by isHeldOut() are left out so retrieval checks on them stay honest.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CooccurrenceCounter } from '../src/embed/train/cooccurrence.ts';
import { DEFAULT_CORPUS, isHeldOut, readCorpus } from '../src/embed/train/corpus.ts';
import { ppmi } from '../src/embed/train/ppmi.ts';
import { randomizedSvd } from '../src/embed/train/randomized-svd.ts';
import { knownTokens, tokenize, tokenParts } from '../src/embed/tokenize.ts';
import { writeWordVectors } from '../src/embed/vector-file.ts';

const { values: opts } = parseArgs({
  options: {
    corpus: { type: 'string', default: DEFAULT_CORPUS },
    dims: { type: 'string', default: '256' },
    window: { type: 'string', default: '20' },
    'min-count': { type: 'string', default: '5' },
    alpha: { type: 'string', default: '0.75' },
    eig: { type: 'string', default: '0' },
    out: { type: 'string', default: path.resolve(import.meta.dirname, '../src/embed/data/arxiv-ppmi-svd.vec.gz') },
  },
});
const dims = Number(opts.dims);
const window = Number(opts.window);
const minCount = Number(opts['min-count']);
const started = performance.now();
const log = (msg: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);

const papers = (await readCorpus(opts.corpus)).filter((p) => !isHeldOut(p.id));
const texts = papers.map((p) => `${p.title}. ${p.abstract}`);
log(`${papers.length} training papers`);

// Counts, with rare hyphenated terms counted as their parts (the embedder falls back the same way).
const raw = new Map<string, number>();
for (const text of texts) for (const t of tokenize(text)) raw.set(t, (raw.get(t) ?? 0) + 1);
const counts = new Map<string, number>();
for (const [token, n] of raw) {
  const parts = n < minCount ? tokenParts(token) : [token];
  for (const p of parts) counts.set(p, (counts.get(p) ?? 0) + n);
}
const words = [...counts.entries()].filter(([, n]) => n >= minCount).sort((a, b) => b[1] - a[1]).slice(0, 65_534).map(([w]) => w);
const index = new Map(words.map((w, i) => [w, i]));
let totalTokens = 0;
for (const n of counts.values()) totalTokens += n;
log(`vocabulary ${words.length} words (count ≥ ${minCount}), ${totalTokens} tokens`);

const counter = new CooccurrenceCounter(words.length);
const documentCounts = new Uint32Array(words.length);
for (const text of texts) {
  const ids = knownTokens(text, (t) => index.has(t)).map((t) => index.get(t)!);
  counter.addSequence(ids, window);
  for (const id of new Set(ids)) documentCounts[id]++;
}
log(`${counter.size} distinct pairs within ±${window}`);
const matrix = ppmi(counter.toCsr(), { alpha: Number(opts.alpha) });
log(`PPMI: ${matrix.values.length} positive entries`);

const svd = randomizedSvd(matrix, dims, { powerIterations: 3, onStep: log });
log(`SVD done; σ1 ${svd.singularValues[0].toFixed(1)}, σ${dims} ${svd.singularValues[dims - 1].toFixed(1)}`);

const eig = Number(opts.eig);
const vectors = new Float32Array(words.length * dims);
for (let i = 0; i < words.length; i++) for (let k = 0; k < dims; k++) vectors[i * dims + k] = svd.u.data[i * dims + k] * svd.singularValues[k] ** eig;
const bytes = writeWordVectors(opts.out, {
  meta: {
    name: 'arxiv-ppmi-svd',
    source: `arXiv cs titles and abstracts, ${papers.length} papers 2025-03..2026-07 (arxiv_cs_daily); PPMI (window ±${window}, 1/d weights, context α ${opts.alpha}) + randomized SVD, U·Σ^${eig}`,
    license: 'CC0-1.0 (derived from arXiv metadata)',
    totalCount: totalTokens,
    documents: papers.length,
  },
  words,
  dimensions: dims,
  counts: Uint32Array.from(words, (w) => counts.get(w)!),
  documentCounts,
  vectors,
});
log(`${opts.out}: ${words.length} words × ${dims} dimensions, ${(bytes / 1e6).toFixed(1)} MB`);
