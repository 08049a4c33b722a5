/**
 * The main thread's side of trainer.worker.ts: a worker thread for one store that fits the vocabulary,
 * builds the context, trains reader models and prepares candidate pools. Requests are answered in order;
 * the worker keeps the process alive only while it has work.
 */
import { RequestWorker, type WorkerReply } from '../workers/request-worker.ts';
import type { ContextPaper, VocabularyJson } from './context.ts';
import type { ReaderModel } from './model.ts';
import type { CandidatePool } from './pool.ts';
import type { CandidatePaper, ReaderSignals } from './signals.ts';
import type { TfidfOptions } from './tfidf.ts';
import type { WorkerRequest } from './trainer.worker.ts';

type Body<T> = T extends unknown ? Omit<T, 'id'> : never;

/** One worker thread doing a store's recommendation work. */
export class RecommendWorker {
  private readonly worker: RequestWorker;
  private closed = false;

  /** `onExit`: the worker stopped by itself (its context is gone with it); not called after `close`. */
  constructor(onExit?: () => void) {
    // A worker ended on purpose (a state being replaced) must not report: its owner would forget the newer state.
    this.worker = new RequestWorker(new URL('./trainer.worker.ts', import.meta.url), { name: 'recommend worker', onExit: () => this.closed || onExit?.() });
  }

  /** Hands over papers the next `context` call builds from (in chunks: each message is small to copy). */
  addTexts(texts: ContextPaper[]): Promise<void> {
    return this.request({ op: 'texts', texts });
  }

  /**
   * Builds the context from the papers handed over (`background`: their ids). When `vocabulary` is null it
   * fits one under `fit` and answers it with the row body to store (context.ts#StoredVocabulary).
   */
  context(vocabulary: VocabularyJson | null, fit: TfidfOptions, background: number[], embedder: string | null): Promise<{ vocabulary?: VocabularyJson; body?: string; vocabularyId: string }> {
    return this.request({ op: 'context', vocabulary, fit, background, embedder });
  }

  /** Sets the vocabulary pools are prepared with (a worker that only prepares pools needs no context). */
  vocabulary(vocabulary: VocabularyJson): Promise<void> {
    return this.request({ op: 'vocabulary', vocabulary });
  }

  /** Trains a reader's model: the model and its JSON for the reader_models table. */
  train(signals: ReaderSignals, now: Date): Promise<{ model: ReaderModel; json: string }> {
    return this.request({ op: 'train', signals, now: now.toISOString() });
  }

  /** Prepares candidates (the pool's `papers` are the ones passed). */
  async pool(candidates: CandidatePaper[]): Promise<CandidatePool> {
    const reply = await this.request<{ pool: Omit<CandidatePool, 'papers'> }>({ op: 'pool', candidates });
    return { ...reply.pool, papers: candidates };
  }

  private request<T>(body: Body<WorkerRequest>): Promise<T> {
    return this.worker.request<WorkerReply>(body) as Promise<WorkerReply & T>;
  }

  /** Ends the worker (pending requests fail). */
  close(): Promise<void> {
    this.closed = true;
    return this.worker.close();
  }
}
