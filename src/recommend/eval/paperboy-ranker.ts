/**
 * Paperboy's ranker in the evaluation: exactly the product's path — a context built from the papers the
 * site holds, a reader model trained from the library as the reader's own papers, the window's papers
 * prepared once as a candidate pool, blended scores. Authors are left out of the candidates (text and
 * categories only, as the protocol requires).
 */
import { buildContext } from '../context.ts';
import { MODEL_SETTINGS, trainReaderModel, type ModelSettings, type RecommendContext } from '../model.ts';
import { prepareCandidates, type CandidatePool } from '../pool.ts';
import { BLEND, scorePool, type BlendWeights } from '../rank.ts';
import { emptySignals, type SignalPaper } from '../signals.ts';
import type { CutoffData, EvalRanker } from './baselines.ts';

interface Prepared {
  context: RecommendContext;
  pool: CandidatePool;
}

/** Paperboy's ranker with the product's settings (or others, for tuning). */
export function paperboyRanker(opts: { settings?: ModelSettings; weights?: BlendWeights; name?: string } = {}): EvalRanker {
  const prepared = new WeakMap<CutoffData, Prepared>();
  const prepare = (data: CutoffData): Prepared => {
    let p = prepared.get(data);
    if (!p) {
      // The site's papers before the cutoff stand for "everything else"; the vocabulary is the one the
      // baseline's tf-idf uses (fitted on everything the site holds), so both see the same features.
      const before = data.database.filter((i) => data.papers[i].day < data.cutoff).map((i) => data.papers[i]);
      const context = buildContext(before, { embedder: 'eval', vocabulary: data.vocabulary });
      const pool = prepareCandidates(
        data.candidates.map((i) => {
          const q = data.papers[i];
          return { id: q.id, title: q.title, abstract: q.abstract, categories: q.categories, vector: q.vector, day: q.day };
        }),
        data.vocabulary,
      );
      prepared.set(data, (p = { context, pool }));
    }
    return p;
  };
  return {
    name: opts.name ?? 'paperboy',
    rank(reader, data) {
      const { context, pool } = prepare(data);
      const signals = emptySignals();
      const positives: SignalPaper[] = reader.library.map((i) => {
        const q = data.papers[i];
        return { id: q.id, title: q.title, abstract: q.abstract, categories: q.categories, vector: q.vector, at: q.day, kind: 'own' };
      });
      const model = trainReaderModel({ ...signals, positives }, context, new Date(`${data.cutoff}T00:00:00Z`), opts.settings ?? MODEL_SETTINGS);
      const scores = scorePool(model, pool, opts.weights ?? BLEND);
      const order = data.candidates.map((_, k) => k).sort((a, b) => scores[b] - scores[a] || a - b);
      return { ids: order.map((k) => data.candidates[k]), scores: order.map((k) => scores[k]) };
    },
  };
}
