/**
 * The main thread's side of trainer.worker.ts: a worker thread for one store that fits the vocabulary,
 * builds the context, trains reader models and prepares candidate pools. Requests are answered in order;
 * the worker keeps the process alive only while it has work.
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../workers/ts-worker.ts';
import type { ContextPaper } from './context.ts';
import type { ReaderModel } from './model.ts';
import type { CandidatePool } from './pool.ts';
import type { CandidatePaper, ReaderSignals } from './signals.ts';
import type { TfidfOptions } from './tfidf.ts';
import type { VocabularyJson, WorkerRequest } from './trainer.worker.ts';

type Pending = { resolve: (reply: any) => void; reject: (e: Error) => void };
type Body<T> = T extends unknown ? Omit<T, 'id'> : never;

/** One worker thread doing a store's recommendation work. */
export class RecommendWorker {
  private worker?: Worker;
  private next = 0;
  private readonly waiting = new Map<number, Pending>();

  /** `onExit`: the worker stopped (its context is gone with it). */
  constructor(private readonly onExit?: () => void) {}

  /** Hands over papers the next `context` call builds from (in chunks: each message is small to copy). */
  addTexts(texts: ContextPaper[]): Promise<void> {
    return this.request({ op: 'texts', texts });
  }

  /** Builds the context from the papers handed over (fitting a vocabulary when `vocabulary` is null). */
  context(vocabulary: VocabularyJson | null, fit: TfidfOptions, embedder: string | null): Promise<{ vocabulary?: VocabularyJson; vocabularyId: string }> {
    return this.request({ op: 'context', vocabulary, fit, embedder });
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
    return new Promise<any>((resolve, reject) => {
      const id = ++this.next;
      this.waiting.set(id, { resolve, reject });
      const worker = this.start();
      worker.ref();
      worker.postMessage({ ...body, id });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = startTsWorker(new URL('./trainer.worker.ts', import.meta.url), {});
    worker.on('message', (reply: { id: number; error?: string }) => {
      const pending = this.waiting.get(reply.id);
      if (!pending) return;
      this.waiting.delete(reply.id);
      // Idle, the worker does not keep the process alive (a CLI run or a test ends without closing it).
      if (this.waiting.size === 0) worker.unref();
      if (reply.error !== undefined) pending.reject(new Error(reply.error));
      else pending.resolve(reply);
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', () => {
      this.worker = undefined;
      this.failAll(new Error('recommend worker: stopped'));
      this.onExit?.();
    });
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    for (const { reject } of this.waiting.values()) reject(err);
    this.waiting.clear();
  }

  /** Ends the worker (pending requests fail). */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}
