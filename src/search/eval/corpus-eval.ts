/**
 * The arXiv-corpus evaluation shared by `npm run eval:search` and `npm run bench:search`: the corpus in
 * memory, its label-free evaluation set, and a store holding the corpus as the set needs it (held-out
 * sentences removed), built once and then reused from the cache directory.
 */
import fs from 'node:fs';
import { isHeldOut } from '../../embed/train/corpus.ts';
import type { PaperRecord } from '../../papers/paper.ts';
import { readCorpus, toCorpusPaper } from './corpus.ts';
import { buildEvalSet, type CorpusPaper, type EvalSet } from './eval-set.ts';
import type { LabelledQuery } from './harness.ts';
import { cacheKey, evalCacheDir, openCachedStore, type EvalStore } from './store.ts';

/** Bump when the way the store is built changes, so old caches are not reused. */
const STORE_VERSION = 1;

/** The default seed and size of the evaluation set. */
export const DEFAULT_EVAL_OPTIONS = { seed: 20250318, perType: 200 };

/** Everything an evaluation on the corpus needs. */
export interface CorpusEvaluation {
  records: PaperRecord[];
  papers: CorpusPaper[];
  evalSet: EvalSet;
  queries: LabelledQuery[];
  store: EvalStore;
}

/** The corpus records as the evaluation store holds them: each held-out sentence removed from its abstract. */
export function withHeldOut(records: readonly PaperRecord[], heldOut: ReadonlyMap<string, string>): PaperRecord[] {
  return records.map((r) => {
    const abstract = r.arxivId ? heldOut.get(r.arxivId) : undefined;
    return abstract === undefined ? r : { ...r, abstract };
  });
}

/** Reads the corpus, draws the evaluation set and opens (building if needed) its store. */
export async function openCorpusEvaluation(
  corpusFile: string,
  opts: { seed: number; perType: number; heldOutOnly?: boolean; log?: (line: string) => void },
): Promise<CorpusEvaluation> {
  const log = opts.log ?? (() => {});
  if (!fs.existsSync(corpusFile)) throw new Error(`eval: corpus not found at ${corpusFile} (set PAPERBOY_CORPUS)`);
  let started = performance.now();
  const records = await readCorpus(corpusFile);
  const papers = records.map(toCorpusPaper);
  // The bundled word vectors were trained on this corpus except ~1 paper in 75; queries from those only
  // show whether semantic search gains from having seen the query papers' text.
  const evalSet = buildEvalSet(papers, { seed: opts.seed, perType: opts.perType, eligible: opts.heldOutOnly ? isHeldOut : undefined });
  log(`corpus: ${records.length} papers read, ${evalSet.queries.length} queries drawn in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const stat = fs.statSync(corpusFile);
  const key = cacheKey({ corpus: corpusFile, size: stat.size, mtime: stat.mtimeMs, seed: opts.seed, perType: opts.perType, heldOutOnly: !!opts.heldOutOnly, version: STORE_VERSION });
  started = performance.now();
  const store = await openCachedStore(evalCacheDir(), key, () => withHeldOut(records, evalSet.heldOutAbstracts));
  log(`store: ${store.built ? 'built' : 'reused'} ${store.file} (${store.corpusIdOf.size} papers) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const queries = evalSet.queries.map((q) => ({ id: q.id, group: q.type, text: q.text, relevant: q.relevant, exclude: q.exclude }));
  return { records, papers, evalSet, queries, store };
}
