import { validateRecord, type PaperRecord } from '../papers/paper.ts';
import type { PreparedRecord } from '../papers/papers.service.ts';

/**
 * One item a parser yields: a validated record with where it came from (and notes on values dropped
 * from it), or a record it had to skip and why.
 */
export type ParseEvent =
  | { kind: 'record'; record: PaperRecord; location: string; notes?: string[]; prepared?: PreparedRecord; line?: string }
  | { kind: 'skip'; location: string; reason: string };

/** What a bulk JSON Lines read yields: parse events, and lines known from an earlier import. */
export type JsonlEvent = ParseEvent | KnownLineEvent;

/**
 * A JSON Lines line a stored paper's source was read from last time (jsonl.ts#lineHash): not parsed, its
 * text kept for the rare merge that finds the paper changed since (jsonl.ts#parseJsonlLine, `reader`).
 */
export interface KnownLineEvent {
  kind: 'known';
  location: string;
  line: string;
  paperId: number;
  text: string;
  reader: string;
}

/**
 * A problem with a whole file (wrong format, truncated, unreadable) rather than one record.
 * The import that meets it writes nothing.
 */
export class FormatError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** A record's location as shown to users: `file:line` or `file:#index`. */
export function at(file: string, where: number | string): string {
  return `${file}:${where}`;
}

/**
 * The event for one record a parser read: the parser's own reason to skip it (a string), or the
 * candidate checked by `validateRecord` — the one gate every importer and fetcher passes records through.
 */
export function recordEvent(location: string, candidate: object | string): ParseEvent {
  if (typeof candidate === 'string') return { kind: 'skip', location, reason: candidate };
  const result = validateRecord(candidate);
  if ('reason' in result) return { kind: 'skip', location, reason: result.reason };
  return result.notes.length ? { kind: 'record', record: result.record, location, notes: result.notes } : { kind: 'record', record: result.record, location };
}
