/**
 * Reads a JSON Lines file on a second core: parse-worker.ts parses, validates and prepares the records in a
 * worker thread while the caller (the writer, on the main thread) merges and writes the batches before them.
 * The events are exactly those readJsonl yields — same records, same skips with the same locations and
 * reasons, same FormatErrors — each record also carrying its PreparedRecord.
 */
import type { Worker } from 'node:worker_threads';
import type { PaperRecord } from '../papers/paper.ts';
import type { PreparedRecord } from '../papers/papers.service.ts';
import { startTsWorker } from '../workers/ts-worker.ts';
import type { JsonlMapping } from './jsonl.ts';
import type { ParseWorkerControl, ParseWorkerData, ParseWorkerMessage } from './parse-worker.ts';
import { FormatError, type JsonlEvent, type ParseEvent } from './types.ts';

/** A stream of events read in a worker, and the one piece of feedback the writer gives it. */
export interface WorkerEvents extends AsyncIterable<JsonlEvent> {
  /**
   * Tells the parser whether records are coming back unchanged: while they are, it stops normalizing
   * them (the merge never looks at an unchanged record's normalized form), which is most of its work.
   */
  unchangedShare(share: number): void;
  /** Stops the worker (also done when iteration ends, however it ends). */
  stop(): Promise<void>;
}

const BATCH = 250;

/** Gives an event sent as JSON text its `record` back, parsed on first use (an unchanged one never is). */
function lazyRecord(event: ParseEvent, prepared: PreparedRecord): void {
  let record: PaperRecord | undefined;
  const get = () => (record ??= JSON.parse(prepared.json!) as PaperRecord);
  Object.defineProperty(event, 'record', { get, enumerable: true, configurable: true });
  Object.defineProperty(prepared, 'record', { get, enumerable: true, configurable: true });
}
const AHEAD = 16;

/** Starts the worker on `file`; iterate the result once. `onBytes` gets compressed bytes read so far. */
export function readJsonlInWorker(
  file: string,
  opts: { mapping?: JsonlMapping; onBytes?: (bytes: number) => void; known?: [line: string, paperId: number][] } = {},
): WorkerEvents {
  const data: ParseWorkerData = { file, mapping: opts.mapping, batch: BATCH, ahead: AHEAD, known: opts.known ?? [] };
  const worker: Worker = startTsWorker(new URL('./parse-worker.ts', import.meta.url), data);
  const queue: ParseWorkerMessage[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  worker.on('message', (m: ParseWorkerMessage | { error: string }) => {
    queue.push('error' in m && !('type' in m) ? { type: 'error', format: false, file, message: m.error } : (m as ParseWorkerMessage));
    wake?.();
  });
  worker.on('error', (err) => {
    failure = err;
    wake?.();
  });
  worker.on('exit', () => {
    failure ??= new Error(`import: the parser thread for ${file} stopped early`);
    wake?.();
  });
  let normalizing = true;
  const control = (m: ParseWorkerControl) => worker.postMessage(m);
  const stop = async () => {
    worker.removeAllListeners('exit');
    await worker.terminate();
  };
  return {
    stop,
    unchangedShare(share) {
      // Hysteresis: one changed batch among unchanged ones does not flip it back.
      const next = normalizing ? share < 0.9 : share < 0.5;
      if (next !== normalizing) control({ type: 'normalize', on: (normalizing = next) });
    },
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          const m = queue.shift();
          if (!m) {
            if (failure) throw failure;
            await new Promise<void>((resolve) => (wake = resolve));
            continue;
          }
          if (m.type === 'done') return;
          if (m.type === 'error') throw m.format ? new FormatError(m.file, m.message) : new Error(m.message);
          control({ type: 'ack' });
          opts.onBytes?.(m.bytes);
          for (const e of m.events) {
            if (e.kind === 'record' && e.prepared?.json !== undefined && !e.record) lazyRecord(e, e.prepared);
            yield e;
          }
        }
      } finally {
        await stop();
      }
    },
  };
}
