/**
 * The worker-thread half of a parallel JSON Lines import (jsonl-worker.ts starts it): reads, decompresses,
 * parses and validates the file — every record through the same zod schema as ever (readJsonl → recordEvent)
 * — and prepares each record for the merge (hash, match keys, normalized form), sending events to the main
 * thread in batches while it writes the previous ones. A bounded number of batches is in flight, so a fast
 * parser never holds more than a few thousand records ahead of the writer.
 */
import type { MessagePort } from 'node:worker_threads';
import { prepareRecord } from '../papers/prepare.ts';
import { readJsonlLines, type JsonlMapping } from './jsonl.ts';
import { FormatError, type JsonlEvent, type ParseEvent } from './types.ts';

/** What the main thread hands the worker. */
export interface ParseWorkerData {
  file: string;
  mapping?: JsonlMapping;
  /** Events per message. */
  batch: number;
  /** Messages sent ahead of the main thread's acknowledgements. */
  ahead: number;
  /** Line hashes the store's papers were read from, with the paper (merge.repo.ts#knownLines). */
  known: [line: string, paperId: number][];
}

/** Worker → main. */
export type ParseWorkerMessage =
  | { type: 'events'; events: JsonlEvent[]; bytes: number }
  | { type: 'done' }
  | { type: 'error'; format: boolean; file: string; message: string };

/** Main → worker: a batch was consumed; whether to normalize (false while records come back unchanged). */
export type ParseWorkerControl = { type: 'ack' } | { type: 'normalize'; on: boolean };

/** Entry point called by the ts-worker bootstrap. */
export async function run(data: ParseWorkerData, port: MessagePort): Promise<void> {
  let inFlight = 0;
  let normalize = true;
  let wake: (() => void) | undefined;
  port.on('message', (m: ParseWorkerControl) => {
    if (m.type === 'ack') inFlight--;
    else normalize = m.on;
    wake?.();
  });
  let bytes = 0;
  let batch: JsonlEvent[] = [];
  const send = async () => {
    while (inFlight >= data.ahead) await new Promise<void>((resolve) => (wake = resolve));
    inFlight++;
    port.postMessage({ type: 'events', events: batch, bytes } satisfies ParseWorkerMessage);
    batch = [];
  };
  try {
    const known = new Map(data.known);
    for await (const event of readJsonlLines(data.file, { mapping: data.mapping, onBytes: (b) => (bytes = b), known })) {
      if (event.kind === 'record' && normalize) batch.push({ ...event, prepared: { ...prepareRecord(event.record, true), line: event.line } });
      else if (event.kind === 'record') {
        // Likely unchanged: the record crosses as the JSON text its hash was taken of (one string, cheap to
        // copy), parsed on the other side only if the merge needs it. readJsonlInWorker restores `record`.
        const { record: _record, ...prepared } = prepareRecord(event.record, false, true);
        prepared.line = event.line;
        batch.push({ kind: 'record', location: event.location, notes: event.notes, prepared } as unknown as ParseEvent);
      } else batch.push(event);
      if (batch.length >= data.batch) await send();
    }
    if (batch.length) await send();
    port.postMessage({ type: 'done' } satisfies ParseWorkerMessage);
  } catch (err) {
    const format = err instanceof FormatError;
    const message = format ? (err as FormatError).message.slice(data.file.length + 2) : String((err as Error)?.stack ?? err);
    port.postMessage({ type: 'error', format, file: data.file, message } satisfies ParseWorkerMessage);
  }
  port.close();
}
