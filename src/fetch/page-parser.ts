/**
 * Parsing a fetched page, on this thread or in a worker. A full OAI-PMH page (1,000 records, 2 MB of XML)
 * takes 150 ms to over a second to parse — far past the 50 ms a request may wait while `paperboy serve`
 * harvests in the background — so the server parses in a worker thread and only the parsed records cross
 * back; the CLI, which serves nobody meanwhile, parses in place.
 */
import { parseArxivAtom } from '../importers/arxiv-atom.ts';
import { parseFeed } from '../importers/feed.ts';
import { parseHfDaily } from '../importers/hf-daily.ts';
import { parseOaiPmh } from '../importers/oai-pmh.ts';
import { FormatError, type ParseEvent } from '../importers/types.ts';
import { RequestWorker, type WorkerReply } from '../workers/request-worker.ts';

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

/** A chunk of a page's events (`partial`), or its last part (`page`), or the parse's failure. */
type Reply = WorkerReply & { events?: ParseEvent[]; page?: ParsedPage; error?: { message: string; file?: string } };

/** A worker thread that parses pages one after another for the life of a process; `close` ends it. */
export class WorkerPageParser {
  private readonly worker = new RequestWorker(new URL('./page-parser.worker.ts', import.meta.url), {
    name: 'page parser',
    toError: (error) => {
      const e = error as NonNullable<Reply['error']>;
      return e.file !== undefined ? new FormatError(e.file, e.message) : new Error(e.message);
    },
  });

  /** The parser to hand to harvests. */
  readonly parse: PageParser = async (format, text, file) => {
    const events: ParseEvent[] = [];
    const last = await this.worker.request<Reply>({ format, text, file }, (part) => {
      for (const e of part.events!) events.push(e);
    });
    return { ...last.page!, events: events.concat(last.page!.events) };
  };

  /** Ends the worker. */
  close(): Promise<void> {
    return this.worker.close();
  }
}
