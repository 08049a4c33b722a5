/** The worker of page-parser.ts#WorkerPageParser: parses each page it is sent and posts the result back. */
import type { MessagePort } from 'node:worker_threads';
import { FormatError } from '../importers/types.ts';
import { parsePage, type PageFormat } from './page-parser.ts';

/** The worker's entry point (started by workers/ts-worker.ts). */
export function run(_data: unknown, port: MessagePort): void {
  port.on('message', (msg: { id: number; format: PageFormat; text: string; file: string }) => {
    try {
      port.postMessage({ id: msg.id, page: parsePage(msg.format, msg.text, msg.file) });
    } catch (err) {
      // A FormatError's message starts with its file; the main thread builds it again from the two parts.
      const message = err instanceof FormatError ? err.message.slice(err.file.length + 2) : String((err as Error)?.message ?? err);
      port.postMessage({ id: msg.id, error: { message, file: err instanceof FormatError ? err.file : undefined } });
    }
  });
}
