/**
 * `npm run eval:search`: search quality on the 74,728-paper arXiv corpus without human labels —
 * nDCG@10, MRR and Recall@100 of each search mode per query type (title, describe, coauthor; see
 * src/search/eval/eval-set.ts). The store is built once under PAPERBOY_EVAL_CACHE (default: a folder in
 * the system temp dir) and reused. Options: --per-type N, --seed N, --json, --fusion (hybrid under each
 * fusion setting too), --held-out-only (queries only from papers the bundled word vectors were not trained on).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CORPUS } from '../src/search/eval/corpus.ts';
import { DEFAULT_EVAL_OPTIONS, openCorpusEvaluation } from '../src/search/eval/corpus-eval.ts';
import { evaluateRanker, formatComparison, formatMetricsTable, metricsJson, type ModeResult } from '../src/search/eval/harness.ts';
import { fusionRankers, storeRankers } from '../src/search/eval/rankers.ts';

const { values } = parseArgs({
  options: {
    'per-type': { type: 'string', default: String(DEFAULT_EVAL_OPTIONS.perType) },
    seed: { type: 'string', default: String(DEFAULT_EVAL_OPTIONS.seed) },
    fusion: { type: 'boolean', default: false },
    'held-out-only': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const log = (line: string) => console.error(line);
const evaluation = await openCorpusEvaluation(DEFAULT_CORPUS, { seed: Number(values.seed), perType: Number(values['per-type']), heldOutOnly: values['held-out-only'], log });
const db = evaluation.store.db;
try {
  const modes = [...(await storeRankers(db, { log })), ...(values.fusion ? await fusionRankers(db, { log }) : [])];
  const results: ModeResult[] = [];
  for (const { mode, ranker } of modes) {
    const started = performance.now();
    results.push(await evaluateRanker(mode, ranker, evaluation.queries, (id) => evaluation.store.corpusIdOf.get(id)));
    log(`${mode}: ${evaluation.queries.length} queries in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  if (values.json) console.log(JSON.stringify({ corpus: DEFAULT_CORPUS, seed: Number(values.seed), modes: metricsJson(results) }, null, 2));
  else {
    console.log(`\n${formatMetricsTable(results)}`);
    const keyword = results.find((r) => r.mode === 'keyword')!;
    if (results.length > 1) console.log(`\nDifference from keyword search, nDCG@10 (95% paired-bootstrap interval):\n\n${formatComparison(keyword, results.slice(1))}`);
  }
} finally {
  await db.close();
}
