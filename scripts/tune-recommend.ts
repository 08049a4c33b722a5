/**
 * `node --import tsx scripts/tune-recommend.ts [cutoff] [users]`: tunes Paperboy's blend weights on a
 * development cutoff (never the reported ones): every simulated reader's features are computed once per
 * library size (full, 1, 3, 10), then weights are searched by coordinate descent on the mean of the
 * groups' nDCG@10, so small libraries count as much as large ones. Prints each step. VOCAB='{"maxFeatures":20000,
 * "minDf":5,"maxDf":0.1}' fits another vocabulary than the product's (docs/benchmarks.md).
 */
import { DEFAULT_CORPUS } from '../src/search/eval/corpus.ts';
import { buildContext } from '../src/recommend/context.ts';
import { poolFeatures, type PoolFeatures } from '../src/recommend/features.ts';
import { MODEL_SETTINGS, trainReaderModel, type ModelSettings } from '../src/recommend/model.ts';
import { prepareCandidates } from '../src/recommend/pool.ts';
import { BLEND, blendFeatures, type BlendWeights } from '../src/recommend/rank.ts';
import { emptySignals } from '../src/recommend/signals.ts';
import { loadEvalCorpus } from '../src/recommend/eval/corpus.ts';
import { selectReaders, subsampleLibrary, type SimulatedReader } from '../src/recommend/eval/readers.ts';
import { paperboyVocabulary } from '../src/recommend/eval/paperboy-ranker.ts';
import { cutoffData, scoreReader } from '../src/recommend/eval/run.ts';
import { fitVocabulary } from '../src/recommend/tfidf.ts';

const cutoff = process.argv[2] ?? '2026-04-01';
const users = Number(process.argv[3] ?? 150);
const log = (line: string) => console.error(line);
const { papers } = await loadEvalCorpus(DEFAULT_CORPUS, log);
const draw = selectReaders(papers, { cutoff, windowDays: 7, users, seed: 11 });
const data = cutoffData(papers, cutoff, draw.windowEnd, draw.candidates);
const before = data.database.filter((i) => papers[i].day < cutoff).map((i) => papers[i]);
// The product's vocabulary unless VOCAB asks for other TfidfOptions (JSON), fitted on the same papers.
const vocabulary = process.env.VOCAB ? fitVocabulary(data.database.map((i) => `${papers[i].title} ${papers[i].abstract}`), JSON.parse(process.env.VOCAB)) : paperboyVocabulary(data);
const pool = prepareCandidates(data.candidates.map((i) => ({ ...papers[i], authors: undefined })), vocabulary);
log(`${draw.readers.length} readers, ${draw.candidates.length} candidates`);

function featuresOf(settings: ModelSettings, backgroundSize: number) {
  const context = buildContext(before, { embedder: 'eval', vocabulary, backgroundSize });
  const groups: { name: string; items: { reader: SimulatedReader; f: PoolFeatures }[] }[] = [];
  const started = performance.now();
  // SIZES='[1]' tunes for one group only (0 is the full libraries).
  for (const size of JSON.parse(process.env.SIZES ?? '[0, 1, 3, 10]') as number[]) {
    const readers = size === 0 ? draw.readers : draw.readers.flatMap((r) => subsampleLibrary(r, size, 1) ?? []);
    const items = readers.map((reader) => {
      const positives = reader.library.map((i) => ({ ...papers[i], at: papers[i].day, kind: 'own' as const }));
      const model = trainReaderModel({ ...emptySignals(), positives }, context, new Date(`${cutoff}T00:00:00Z`), settings);
      return { reader, f: poolFeatures(model, pool) };
    });
    groups.push({ name: size === 0 ? 'full' : String(size), items });
  }
  log(`features in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return groups;
}

function evaluate(groups: ReturnType<typeof featuresOf>, w: BlendWeights) {
  const per = groups.map((g) => {
    let s = 0;
    for (const { reader, f } of g.items) {
      const scores = blendFeatures(f, w);
      const order = data.candidates.map((_, k) => k).sort((a, b) => scores[b] - scores[a] || a - b);
      s += scoreReader(order.map((k) => data.candidates[k]), reader).ndcg10;
    }
    return s / g.items.length;
  });
  return { mean: per.reduce((a, b) => a + b, 0) / per.length, per };
}

const fmt = (r: { mean: number; per: number[] }) => `${r.mean.toFixed(4)} (${r.per.map((x) => x.toFixed(3)).join(' ')})`;
const settingsGrid: Partial<ModelSettings & { background: number }>[] = JSON.parse(process.env.SETTINGS ?? '[{}]');
for (const change of settingsGrid) {
  const { background, ...rest } = change;
  const groups = featuresOf({ ...MODEL_SETTINGS, ...rest }, background ?? 3000);
  let best = { ...BLEND };
  let bestScore = evaluate(groups, best);
  log(`settings ${JSON.stringify(change)} start ${fmt(bestScore)}`);
  for (let round = 0; round < Number(process.env.ROUNDS ?? 2); round++)
    for (const key of ['terms', 'textNear', 'vectorNear', 'profile', 'category'] as const)
      for (const v of [0, 0.1, 0.25, 0.5, 1, 2, 4]) {
        const w = { ...best, [key]: v };
        const r = evaluate(groups, w);
        if (process.env.VERBOSE) log(`    ${key}=${v}: ${fmt(r)}`);
        if (r.mean > bestScore.mean + 1e-4) {
          best = w;
          bestScore = r;
          log(`  ${key}=${v}: ${fmt(r)}`);
        }
      }
  console.log(JSON.stringify({ change, best, score: bestScore }));
}
