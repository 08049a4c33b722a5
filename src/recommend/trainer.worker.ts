/**
 * The worker of trainer.ts#RecommendWorker: everything of recommendations that takes more than a few
 * milliseconds — fitting the store's vocabulary, the background papers' tf-idf, training a reader's SVM,
 * a listing's candidate pool — runs here, one request after another, so no page waits on the main
 * thread's event loop for it. It keeps the store's context between requests.
 */
import type { MessagePort } from 'node:worker_threads';
import { buildContext, vocabularyFromJson, vocabularyIdOf, vocabularyToJson, type ContextPaper, type StoredVocabulary, type VocabularyJson } from './context.ts';
import { modelToJson } from './model-json.ts';
import { trainReaderModel, type RecommendContext } from './model.ts';
import { prepareCandidates } from './pool.ts';
import type { CandidatePaper, ReaderSignals } from './signals.ts';
import { fitVocabulary, type TfidfOptions, type Vocabulary } from './tfidf.ts';

/** A request to the worker (answered by a reply with the same id). */
export type WorkerRequest =
  | { id: number; op: 'texts'; texts: ContextPaper[] }
  | { id: number; op: 'context'; vocabulary: VocabularyJson | null; fit: TfidfOptions; background: number[]; embedder: string | null }
  | { id: number; op: 'vocabulary'; vocabulary: VocabularyJson }
  | { id: number; op: 'train'; signals: ReaderSignals; now: string }
  | { id: number; op: 'pool'; candidates: CandidatePaper[] };


/** The worker's entry point (started by workers/ts-worker.ts). */
export function run(_data: unknown, port: MessagePort): void {
  let texts: ContextPaper[] = [];
  let context: RecommendContext | undefined;
  let vocabulary: Vocabulary | undefined;
  port.on('message', (msg: WorkerRequest) => {
    try {
      if (msg.op === 'texts') {
        for (const t of msg.texts) texts.push(t);
        port.postMessage({ id: msg.id });
      } else if (msg.op === 'context') {
        // Fitted here when the store has none yet: the caller stores it, so every instance then uses the same.
        const fitted = msg.vocabulary ? vocabularyFromJson(msg.vocabulary) : fitVocabulary(texts.map((t) => `${t.title} ${t.abstract}`), msg.fit);
        context = buildContext(texts, { embedder: msg.embedder, vocabulary: fitted });
        vocabulary = fitted;
        texts = [];
        // A fitted one goes back with its row's body, stringified here: 300,000 terms would hold the main thread.
        const json = msg.vocabulary ? undefined : vocabularyToJson(fitted);
        const body = json && JSON.stringify({ ...json, background: msg.background, fit: msg.fit } satisfies StoredVocabulary);
        port.postMessage({ id: msg.id, vocabulary: json, body, vocabularyId: vocabularyIdOf(fitted) });
      } else if (msg.op === 'vocabulary') {
        vocabulary = vocabularyFromJson(msg.vocabulary);
        port.postMessage({ id: msg.id });
      } else if (msg.op === 'train') {
        if (!context) throw new Error('recommend worker: no context yet');
        const model = trainReaderModel(msg.signals, context, new Date(msg.now));
        port.postMessage({ id: msg.id, model, json: modelToJson(model) });
      } else {
        if (!vocabulary) throw new Error('recommend worker: no vocabulary yet');
        // The papers stay with the caller (it has them); the big arrays move instead of being copied.
        const { papers: _papers, ...pool } = prepareCandidates(msg.candidates, vocabulary);
        port.postMessage({ id: msg.id, pool }, [pool.postingsStart.buffer, pool.postingsPaper.buffer, pool.postingsValue.buffer, pool.vectors.buffer, pool.hasVector.buffer] as ArrayBuffer[]);
      }
    } catch (err) {
      port.postMessage({ id: msg.id, error: String((err as Error)?.stack ?? err) });
    }
  });
}
