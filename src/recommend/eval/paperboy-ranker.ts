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
import { fitVocabulary, vocabularyOptions, type Vocabulary } from '../tfidf.ts';
import type { CutoffData, EvalRanker } from './baselines.ts';

/** The vocabulary the product would fit on the site's papers (tfidf.ts#vocabularyOptions). */
export function paperboyVocabulary(data: CutoffData): Vocabulary {
  return fitVocabulary(data.database.map((i) => `${data.papers[i].title} ${data.papers[i].abstract}`), vocabularyOptions(data.database.length));
}

interface Prepared {
  context: RecommendContext;
  pool: CandidatePool;
}

/** Paperboy's ranker with the product's settings (or others, for tuning). */
export function paperboyRanker(opts: { settings?: ModelSettings; weights?: BlendWeights; name?: string; vocabulary?: (data: CutoffData) => Vocabulary } = {}): EvalRanker {
  const prepared = new WeakMap<CutoffData, Prepared>();
  const prepare = (data: CutoffData): Prepared => {
    let p = prepared.get(data);
    if (!p) {
      // The site's papers before the cutoff stand for "everything else"; the vocabulary is Paperboy's own,
      // fitted on the same papers as the baseline's tf-idf (everything the site holds).
      const before = data.database.filter((i) => data.papers[i].day < data.cutoff).map((i) => data.papers[i]);
      const vocabulary = opts.vocabulary ? opts.vocabulary(data) : paperboyVocabulary(data);
      const context = buildContext(before, { embedder: 'eval', vocabulary });
      const pool = prepareCandidates(
        data.candidates.map((i) => {
          const q = data.papers[i];
          return { id: q.id, title: q.title, abstract: q.abstract, categories: q.categories, vector: q.vector, day: q.day };
        }),
        vocabulary,
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
