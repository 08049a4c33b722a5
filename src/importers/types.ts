import type { PaperRecord } from '../papers/paper.ts';

/** One item a parser yields: a record with where it came from, or a record it had to skip and why. */
export type ParseEvent =
  | { kind: 'record'; record: PaperRecord; location: string }
  | { kind: 'skip'; location: string; reason: string };

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
