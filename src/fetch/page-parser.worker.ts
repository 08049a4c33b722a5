/**
 * The worker of page-parser.ts#WorkerPageParser: parses each page it is sent and posts the result back, the
 * events in chunks of EVENTS_PER_MESSAGE: the main thread decodes each message in one go, and a whole page of
 * 1,000 records (its decoding and the garbage after it) held the event loop for 40–70 ms.
 */
import type { MessagePort } from 'node:worker_threads';
import { FormatError } from '../importers/types.ts';
import { EVENTS_PER_MESSAGE, parsePage, type PageFormat } from './page-parser.ts';

/** The worker's entry point (started by workers/ts-worker.ts). */
export function run(_data: unknown, port: MessagePort): void {
  port.on('message', (msg: { id: number; format: PageFormat; text: string; file: string }) => {
    try {
      const { events, ...rest } = parsePage(msg.format, msg.text, msg.file);
      for (let i = 0; i + EVENTS_PER_MESSAGE < events.length; i += EVENTS_PER_MESSAGE) port.postMessage({ id: msg.id, partial: true, events: events.slice(i, i + EVENTS_PER_MESSAGE) });
      const last = events.length === 0 ? 0 : Math.floor((events.length - 1) / EVENTS_PER_MESSAGE) * EVENTS_PER_MESSAGE;
      port.postMessage({ id: msg.id, page: { ...rest, events: events.slice(last) } });
    } catch (err) {
      // A FormatError's message starts with its file; the main thread builds it again from the two parts.
      const message = err instanceof FormatError ? err.message.slice(err.file.length + 2) : String((err as Error)?.message ?? err);
      port.postMessage({ id: msg.id, error: { message, file: err instanceof FormatError ? err.file : undefined } });
    }
  });
}
