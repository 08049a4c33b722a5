/**
 * `paperboy eval`: loads a BEIR benchmark into a temporary store, prepares what each search mode needs,
 * and scores every mode with the harness.
 */
import { beirQueries, beirRecords, indexOfSyntheticArxivId, loadBeir } from './beir.ts';
import { evaluateRanker, type ModeResult } from './harness.ts';
import { storeRankers } from './rankers.ts';
import { openTemporaryStore } from './store.ts';

/** What a BEIR evaluation measured, with the benchmark's size. */
export interface BeirEvaluation {
  benchmark: string;
  split: string;
  documents: number;
  queries: number;
  results: ModeResult[];
}

/** Evaluates every available search mode on the BEIR benchmark in `dir`; `log` hears about slow steps. */
export async function evaluateBeir(dir: string, opts: { split?: string; log?: (line: string) => void } = {}): Promise<BeirEvaluation> {
  const bench = await loadBeir(dir, opts.split);
  const queries = beirQueries(bench);
  opts.log?.(`${bench.name}: ${bench.docs.length} documents, ${queries.length} judged queries; importing`);
  const store = await openTemporaryStore(beirRecords(bench), (arxivId) => bench.docs[indexOfSyntheticArxivId(arxivId)]?.id);
  try {
    const results: ModeResult[] = [];
    for (const { mode, ranker } of await storeRankers(store.db, { log: opts.log })) {
      results.push(await evaluateRanker(mode, ranker, queries, (id) => store.corpusIdOf.get(id)));
    }
    return { benchmark: bench.name, split: bench.split, documents: bench.docs.length, queries: queries.length, results };
  } finally {
    await store.db.close();
  }
}
