/**
 * `npm run bench:recommend [readers] [papers]`: ranking one day's new papers (default 1,000) for 10,000
 * readers with varied libraries, as digest preparation does — each reader's stored model read back from
 * its JSON, every candidate scored, the top 5 explained — against the issue's budget of 60 s. Models are
 * trained from real corpus authors' libraries (1 to 60 papers, drawn from the arXiv corpus); 300 distinct
 * ones are trained and reused in turn (training happens when a reader's signals change, not at digest
 * time; the training time per model is reported apart). Prints figures with the load average.
 */
import os from 'node:os';
import { buildContext } from '../src/recommend/context.ts';
import { poolFeatures } from '../src/recommend/features.ts';
import { modelFromJson, modelToJson } from '../src/recommend/model-json.ts';
import { trainReaderModel } from '../src/recommend/model.ts';
import { prepareCandidates } from '../src/recommend/pool.ts';
import { explain, scorePool, topCandidates } from '../src/recommend/rank.ts';
import { emptySignals } from '../src/recommend/signals.ts';
import { loadEvalCorpus } from '../src/recommend/eval/corpus.ts';
import { selectReaders } from '../src/recommend/eval/readers.ts';
import { DEFAULT_CORPUS } from '../src/search/eval/corpus.ts';
import { seededRandom } from '../src/search/eval/random.ts';

const readers = Number(process.argv[2] ?? 10_000);
const dayPapers = Number(process.argv[3] ?? 1000);
const DISTINCT = 300;
const BUDGET_S = 60;
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

const { papers } = await loadEvalCorpus(DEFAULT_CORPUS, (line) => console.error(line));
const cutoff = '2026-06-01';
const before = papers.filter((p) => p.day < cutoff);
const day = papers.filter((p) => p.day >= cutoff).slice(0, dayPapers);
let started = performance.now();
const context = buildContext(before.slice(-20_000), { embedder: 'bench' });
console.log(`context: vocabulary of ${context.vocabulary.terms.length} terms, ${context.background.length} background papers, ${((performance.now() - started) / 1000).toFixed(1)} s`);

// Varied libraries: real authors' papers before the cutoff, cut to 1–60 papers.
const draw = selectReaders(papers, { cutoff, windowDays: 30, users: DISTINCT, seed: 5, minLibrary: 1 });
const random = seededRandom(9);
started = performance.now();
const stored: string[] = draw.readers.map((r) => {
  const size = [1, 3, 10, 30, 60][Math.floor(random() * 5)];
  const positives = r.library.slice(-size).map((i) => ({ ...papers[i], at: papers[i].day, kind: 'saved' as const }));
  return modelToJson(trainReaderModel({ ...emptySignals(), positives }, context, new Date(`${cutoff}T00:00:00Z`)));
});
const trainMs = (performance.now() - started) / stored.length;
console.log(`trained ${stored.length} distinct models: ${trainMs.toFixed(1)} ms per model (when a reader's signals change)`);

started = performance.now();
const pool = prepareCandidates(day.map((p) => ({ ...p })), context.vocabulary);
const prepareS = (performance.now() - started) / 1000;
started = performance.now();
let shown = 0;
for (let r = 0; r < readers; r++) {
  const model = modelFromJson(stored[r % stored.length])!;
  const features = poolFeatures(model, pool);
  const top = topCandidates(scorePool(model, pool, undefined, features), 5);
  for (const t of top) shown += explain(model, pool, features, t.index, context.vocabulary.terms).length > 0 ? 1 : 0;
}
const rankS = (performance.now() - started) / 1000;
const total = prepareS + rankS;
console.log(`ranked ${day.length} new papers for ${readers} readers: ${total.toFixed(1)} s (pool ${prepareS.toFixed(2)} s + ranking ${rankS.toFixed(1)} s, ${((rankS * 1000) / readers).toFixed(2)} ms per reader), ${shown} papers with reasons`);
console.log(`budget ${BUDGET_S} s: ${(total / BUDGET_S).toFixed(2)} of it (${total <= BUDGET_S ? 'within' : 'OVER'}); load average ${load()} on ${os.cpus().length} cores`);
