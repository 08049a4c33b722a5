/**
 * Parsing a fetched page, on this thread or in a worker. A full OAI-PMH page (1,000 records, 2 MB of XML)
 * takes 150 ms to over a second to parse — far past the 50 ms a request may wait while `paperboy serve`
 * harvests in the background — so the server parses in a worker thread and only the parsed records cross
 * back; the CLI, which serves nobody meanwhile, parses in place.
 */
import type { Worker } from 'node:worker_threads';
import { parseArxivAtom } from '../importers/arxiv-atom.ts';
import { parseFeed } from '../importers/feed.ts';
import { parseHfDaily } from '../importers/hf-daily.ts';
import { parseOaiPmh } from '../importers/oai-pmh.ts';
import { FormatError, type ParseEvent } from '../importers/types.ts';
import { startTsWorker } from '../workers/ts-worker.ts';

/** The remote formats a harvest reads. */
export type PageFormat = 'oai-pmh' | 'arxiv-atom' | 'feed' | 'hf-daily';

/** A parsed page: its records as events, and where a list continues. */
export interface ParsedPage {
  events: ParseEvent[];
  resumptionToken?: string;
  completeListSize?: number;
  totalResults?: number;
}

/** Parses one page; rejects with FormatError for a page that is not the format (a malformed page). */
export type PageParser = (format: PageFormat, text: string, file: string) => Promise<ParsedPage>;

/** The parse itself, pure and synchronous. */
export function parsePage(format: PageFormat, text: string, file: string): ParsedPage {
  switch (format) {
    case 'oai-pmh':
      return parseOaiPmh(text, file);
    case 'arxiv-atom':
      return parseArxivAtom(text, file);
    case 'feed':
      return { events: parseFeed(text, file) };
    case 'hf-daily':
      return { events: parseHfDaily(text, file) };
  }
}

/** Parses on the calling thread (the CLI). */
export const parseInThread: PageParser = async (format, text, file) => parsePage(format, text, file);

/** How many parsed events the worker sends per message (see page-parser.worker.ts). */
export const EVENTS_PER_MESSAGE = 100;

/** A chunk of a page's events (`events`), or its last part (`page`), or the parse's failure. */
type Reply = { id: number; events?: ParseEvent[]; page?: ParsedPage; error?: { message: string; file?: string } };

/** A worker thread that parses pages one after another for the life of a process; `close` ends it. */
export class WorkerPageParser {
  private worker?: Worker;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (p: ParsedPage) => void; reject: (e: Error) => void; events: ParseEvent[] }>();

  /** The parser to hand to harvests. */
  readonly parse: PageParser = (format, text, file) =>
    new Promise((resolve, reject) => {
      const id = ++this.next;
      this.waiting.set(id, { resolve, reject, events: [] });
      const worker = this.start();
      // Busy, the worker keeps the process alive until it answers; idle, it does not (the last answer unrefs it).
      worker.ref();
      worker.postMessage({ id, format, text, file });
    });

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = startTsWorker(new URL('./page-parser.worker.ts', import.meta.url), {});
    worker.on('message', (reply: Reply) => {
      const pending = this.waiting.get(reply.id);
      if (!pending) return;
      if (reply.events) {
        for (const e of reply.events) pending.events.push(e);
        return;
      }
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.page) pending.resolve({ ...reply.page, events: pending.events.concat(reply.page.events) });
      else pending.reject(reply.error?.file !== undefined ? new FormatError(reply.error.file, reply.error.message) : new Error(reply.error?.message ?? 'page parser: no answer'));
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', () => {
      this.worker = undefined;
      this.failAll(new Error('page parser: the worker stopped'));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    for (const { reject } of this.waiting.values()) reject(err);
    this.waiting.clear();
  }

  /** Ends the worker. */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}
