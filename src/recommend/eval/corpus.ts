/**
 * The papers the recommendation evaluation works on: a corpus file in memory (text, authors, categories,
 * listing day) with each paper's vector from the default embedder, read from the evaluation store —
 * the same cached, migrated SQLite store `npm run eval:search` uses, built once under
 * PAPERBOY_EVAL_CACHE from this corpus as it is and embedded by the product's embedding job.
 */
import fs from 'node:fs';
import { bytesToVector } from '../../embed/embedder.ts';
import { readCorpus } from '../../search/eval/corpus.ts';
import { defaultEmbedder, prepareVectors } from '../../search/eval/rankers.ts';
import { cacheKey, evalCacheDir, openCachedStore } from '../../search/eval/store.ts';
import { vectorsAfter } from '../../search/vectors.repo.ts';
import type { DatedPaper } from './readers.ts';

/** Bump when the way the store is built changes, so old caches are not reused. */
const STORE_VERSION = 1;

/** One corpus paper as the evaluation holds it. */
export interface EvalPaper extends DatedPaper {
  /** The arXiv id. */
  id: string;
  title: string;
  abstract: string;
  /** Unit vector from the default embedder; undefined when the paper has none. */
  vector?: Float32Array;
}

/** The corpus with the embedder that made its vectors. */
export interface EvalCorpus {
  papers: EvalPaper[];
  embedder: string;
  dimensions: number;
}

/** Reads the corpus and its vectors (building and embedding the cached store the first time). */
export async function loadEvalCorpus(file: string, log: (line: string) => void = () => {}): Promise<EvalCorpus> {
  if (!fs.existsSync(file)) throw new Error(`eval: corpus not found at ${file} (set PAPERBOY_CORPUS or pass --corpus)`);
  let started = performance.now();
  const records = (await readCorpus(file)).filter((r) => r.announcedOn);
  log(`corpus: ${records.length} dated papers read in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const embedder = await defaultEmbedder(log);
  if (!embedder) throw new Error('eval: the default embedder could not be loaded; the embedding rankers need it');
  const stat = fs.statSync(file);
  started = performance.now();
  const store = await openCachedStore(evalCacheDir(), cacheKey({ corpus: file, size: stat.size, mtime: stat.mtimeMs, purpose: 'recommend', version: STORE_VERSION }), () => records);
  try {
    await prepareVectors(store.db, embedder, log);
    const vectorOf = new Map<string, Float32Array>();
    for (let after = 0; ; ) {
      const page = await vectorsAfter(store.db.kysely, embedder.id, after, 5000);
      if (page.length === 0) break;
      for (const v of page) {
        const arxivId = store.corpusIdOf.get(v.paperId);
        if (arxivId !== undefined) vectorOf.set(arxivId, bytesToVector(v.vector));
      }
      after = page[page.length - 1].paperId;
    }
    log(`store: ${store.built ? 'built' : 'reused'} ${store.file}, ${vectorOf.size} vectors (${embedder.id}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const papers = records.map((r) => ({
      id: r.arxivId!,
      title: r.title.replace(/\s+/g, ' ').trim(),
      abstract: (r.abstract ?? '').replace(/\s+/g, ' ').trim(),
      authors: r.authors ?? [],
      categories: r.categories ?? [],
      day: r.announcedOn!,
      vector: vectorOf.get(r.arxivId!),
    }));
    return { papers, embedder: embedder.id, dimensions: embedder.dimensions };
  } finally {
    await store.db.close();
  }
}
