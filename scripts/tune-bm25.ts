/**
 * `node --import tsx scripts/tune-bm25.ts`: the term index's BM25F parameters against the label-free
 * evaluation set of `npm run eval:search` (never against the held-out benchmark): builds an index per
 * setting in memory from the evaluation store's papers and scores keyword ranking (every word for short
 * queries, any word for long ones, as search does) by nDCG@10 per query type. Coordinate descent from
 * the defaults; prints each step.
 */
import { DEFAULT_CORPUS } from '../src/search/eval/corpus.ts';
import { DEFAULT_EVAL_OPTIONS, openCorpusEvaluation } from '../src/search/eval/corpus-eval.ts';
import { evaluateRanker } from '../src/search/eval/harness.ts';
import { MAX_AND_CLAUSES } from '../src/search/keyword-index.ts';
import { parseQuery } from '../src/search/query.ts';
import { indexTerms } from '../src/search/terms/analyze.ts';
import { DEFAULT_PARAMS, SnapshotBuilder, type TermDoc } from '../src/search/terms/build.ts';
import type { Bm25fParams } from '../src/search/terms/snapshot.ts';
import { TermIndex } from '../src/search/terms/term-index.ts';
import { eachPage } from '../src/search/terms/worker.ts';

const log = (line: string) => console.error(line);
const evaluation = await openCorpusEvaluation(DEFAULT_CORPUS, { ...DEFAULT_EVAL_OPTIONS, log });
const db = evaluation.store.db;
const docs: TermDoc[] = [];
await eachPage(db, (doc) => docs.push(doc));

async function score(params: Bm25fParams) {
  const builder = new SnapshotBuilder(params, { spacedCompounds: false });
  for (const d of docs) builder.add(d);
  const index = TermIndex.fromBuffer(builder.finish('tune'));
  const result = await evaluateRanker(
    'keyword',
    async (query, limit) => {
      const parsed = parseQuery(query);
      const terms = parsed.clauses.flatMap((c) => indexTerms(c.words.join(' ')));
      const hits = parsed.clauses.length <= MAX_AND_CLAUSES ? index.all(terms, { k: limit }).hits : index.any(terms, limit);
      return { ids: hits.map((h) => h.id), scores: hits.map((h) => h.score) };
    },
    evaluation.queries,
    (id) => evaluation.store.corpusIdOf.get(id),
  );
  const group = (g: string) => result.groups.find((x) => x.group === g)!.ndcg10;
  return { all: result.all.ndcg10, title: group('title'), describe: group('describe'), coauthor: group('coauthor') };
}

const fmt = (r: Awaited<ReturnType<typeof score>>) => `all ${r.all.toFixed(4)} title ${r.title.toFixed(3)} describe ${r.describe.toFixed(3)} coauthor ${r.coauthor.toFixed(3)}`;
let best = structuredClone(DEFAULT_PARAMS);
let bestScore = await score(best);
log(`defaults: ${fmt(bestScore)}`);
const knobs: [string, number[], (p: Bm25fParams, v: number) => void][] = [
  ['k1', [0.9, 1.6], (p, v) => (p.k1 = v)],
  ['title.weight', [1.5, 3], (p, v) => (p.fields.title.weight = v)],
  ['title.b', [0.4], (p, v) => (p.fields.title.b = v)],
  ['abstract.b', [0.6, 0.9], (p, v) => (p.fields.abstract.b = v)],
  ['authors.weight', [0, 1], (p, v) => (p.fields.authors.weight = v)],
];
for (let round = 0; round < Number(process.env.ROUNDS ?? 1); round++) {
  for (const [name, values, set] of knobs) {
    for (const v of values) {
      const p = structuredClone(best);
      set(p, v);
      const r = await score(p);
      log(`  ${name} = ${v}: ${fmt(r)}`);
      if (r.all > bestScore.all + 0.0005) {
        best = p;
        bestScore = r;
      }
    }
    log(`after ${name}: ${JSON.stringify(best)} → ${fmt(bestScore)}`);
  }
}
console.log(JSON.stringify({ best, score: bestScore }, null, 2));
await db.close();
