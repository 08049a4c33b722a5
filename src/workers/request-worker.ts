/**
 * A worker thread answering requests by id, started on the first request: what the page parser and the
 * recommendation trainer both need. A reply carries its request's `id`; `partial: true` marks a part of the
 * answer (handed to the request's `onPartial`, the request still waiting), `error` a failure. Busy, the
 * worker keeps the process alive until it answers; idle, it does not (a CLI run or a test ends without
 * closing it). When it stops, every waiting request fails and it starts again on the next one.
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from './ts-worker.ts';

/** What every reply of a request worker has. */
export interface WorkerReply {
  id: number;
  partial?: boolean;
  error?: unknown;
}

type Pending = { resolve: (reply: any) => void; reject: (e: Error) => void; onPartial?: (reply: any) => void };

/** The main thread's side of such a worker. */
export class RequestWorker {
  private worker?: Worker;
  private next = 0;
  private readonly waiting = new Map<number, Pending>();

  /** `name` goes into errors; `toError` makes a reply's `error` an Error; `onExit`: the worker stopped. */
  constructor(
    private readonly url: URL,
    private readonly options: { name: string; toError?: (error: unknown) => Error; onExit?: () => void },
  ) {}

  /** Sends `message` (given an id) and resolves with the final reply, or rejects with its error. */
  request<R extends WorkerReply>(message: object, onPartial?: (reply: R) => void): Promise<R> {
    return new Promise((resolve, reject) => {
      const id = ++this.next;
      this.waiting.set(id, { resolve, reject, onPartial });
      const worker = this.start();
      worker.ref();
      worker.postMessage({ ...message, id });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = startTsWorker(this.url, {});
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.waiting.get(reply.id);
      if (!pending) return;
      if (reply.partial) return pending.onPartial?.(reply);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.error === undefined) pending.resolve(reply);
      else pending.reject(this.options.toError?.(reply.error) ?? new Error(String(reply.error)));
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', () => {
      this.worker = undefined;
      this.failAll(new Error(`${this.options.name}: the worker stopped`));
      this.options.onExit?.();
    });
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    for (const { reject } of this.waiting.values()) reject(err);
    this.waiting.clear();
  }

  /** Ends the worker (waiting requests fail). */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}
