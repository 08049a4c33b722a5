/**
 * Splits a byte stream into lines in linear time, with a size limit per line, and decodes each line as
 * strict UTF-8. A line is only joined once its end is found, and a line over the limit is counted and
 * dropped as it streams past, so a 50 MB line (or a gigabyte of spaces out of a small gzip) costs one
 * scan and no memory.
 */
import { isUtf8 } from 'node:buffer';

/** The longest line a JSON Lines file may have: 1 MiB (the arXiv corpus's longest record is 56 KB). */
export const MAX_LINE_BYTES = 1 << 20;

/** One line: its 1-based number, its text or why it has none, and whether it ended the stream without a newline. */
export type Line = { number: number; last: boolean } & ({ text: string } | { error: string });

/** Yields the lines of `chunks` (a trailing `\r` dropped, a leading byte-order mark on line 1 too). */
export async function* readLines(chunks: AsyncIterable<Buffer>, maxBytes = MAX_LINE_BYTES): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let number = 0;
  const finish = (last: boolean): Line => {
    number++;
    const bytes = size > maxBytes ? undefined : parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
    const line: Line = bytes ? decode(bytes, number, last) : { number, last, error: `the line is ${mib(size)}, longer than the ${mib(maxBytes)} limit for one record` };
    parts = [];
    size = 0;
    return line;
  };
  for await (const chunk of chunks) {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      size += end - start;
      if (size > maxBytes) parts = [];
      else if (end > start) parts.push(chunk.subarray(start, end));
      if (newline === -1) break;
      yield finish(false);
      start = newline + 1;
    }
  }
  if (size > 0) yield finish(true);
}

/**
 * Reads a stream to its end keeping only its number of lines and the bytes after the last newline (up to
 * `maxBytes`): the cheap pass that tells whether a file is complete before any of it is imported.
 */
export async function readTail(chunks: AsyncIterable<Buffer>, maxBytes = MAX_LINE_BYTES): Promise<{ lines: number; tail?: Line }> {
  let newlines = 0;
  let parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    let last = -1;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
      newlines++;
      last = i;
    }
    if (last !== -1) {
      parts = [];
      size = 0;
    }
    const rest = chunk.subarray(last + 1);
    size += rest.length;
    if (size <= maxBytes && rest.length) parts.push(rest);
  }
  if (size === 0) return { lines: newlines };
  const number = newlines + 1;
  const tail = size > maxBytes ? { number, last: true, error: 'over the size limit' } : decode(Buffer.concat(parts, size), number, true);
  return { lines: number, tail };
}

function decode(bytes: Buffer, number: number, last: boolean): Line {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
  const body = bytes.subarray(number === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0, end);
  if (isUtf8(body)) return { number, last, text: body.toString('utf8') };
  const at = firstInvalidByte(body);
  const where = at < 0 ? '' : ` (byte 0x${body[at].toString(16).toUpperCase().padStart(2, '0')} at byte ${at + 1} of the line)`;
  return { number, last, error: `not valid UTF-8${where}: the file looks Latin-1 or Windows-1252 encoded; save it as UTF-8` };
}

/** Offset of the first byte that does not continue a well-formed UTF-8 sequence; -1 if none is found. */
export function firstInvalidByte(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const follow = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (follow < 0) return i;
    for (let k = 1; k <= follow; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += follow + 1;
  }
  return -1;
}

function mib(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(bytes % (1 << 20) ? 1 : 0)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
