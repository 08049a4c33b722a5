import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database.ts';
import { othersPresent } from '../db/presence.ts';
import { dropReadIndexes, restoreReadIndexes } from '../db/read-indexes.ts';
import { parseArxivAtom } from './arxiv-atom.ts';
import { parseFeed } from './feed.ts';
import { parseHfDaily } from './hf-daily.ts';
import { parseHfPage } from './hf-page.ts';
import { checkJsonlComplete, isGzip, readJsonl, type JsonlMapping } from './jsonl.ts';
import { readJsonlInWorker } from './jsonl-worker.ts';
import { firstInvalidByte } from './lines.ts';
import { parseOaiPmh } from './oai-pmh.ts';
import { FormatError, type JsonlEvent, type ParseEvent } from './types.ts';
import { knownLines } from '../papers/merge.repo.ts';
import type { UpsertCounts } from '../papers/papers.service.ts';
import { writeEvents, type WritePacing, type WriteResult } from './write.ts';

/** The file formats `paperboy import` understands. */
export const FORMATS = ['jsonl', 'arxiv-atom', 'oai-pmh', 'hf-daily', 'hf-page', 'feed'] as const;
/** One of FORMATS. */
export type Format = (typeof FORMATS)[number];

/** What an import did; `skipped` lists every record left out, `notes` every value dropped from a kept record, with where and why. */
export interface ImportReport extends WriteResult {
  file: string;
  format: Format;
  seconds: number;
  /** The read-only indexes dropped for this import and built again at its end (see `bulkLoad`); usually none. */
  deferredIndexes?: string[];
}

/** Options of one import. */
export interface ImportOptions {
  format?: Format;
  mapping?: JsonlMapping;
  /** Called as the file is read and written: fraction done from 0 to 1, and records seen so far. */
  onProgress?: (fraction: number, records: number) => void;
  /** How the writer sizes and spaces its transactions (see write.ts). */
  pacing?: WritePacing;
  /**
   * Parse and prepare a JSON Lines file in a worker thread while this thread writes (default: files of
   * PARSE_IN_WORKER_BYTES or more, where it pays for the worker's start-up).
   */
  parseInWorker?: boolean;
  /**
   * Drop the indexes only reads use while writing and build them at the end (default: when `bulkLoad` says
   * it pays). Tests force it either way.
   */
  deferReadIndexes?: boolean;
}

/** From this size on a JSON Lines import parses on a second core. */
export const PARSE_IN_WORKER_BYTES = 1 << 20;

/** Share of the progress bar given to checking that the file is complete; writing it is the slow part. */
const CHECK_SHARE = 0.1;

/**
 * Whether an import of `file` is a bulk load worth building the read-only indexes for at the end: a JSON
 * Lines file of PARSE_IN_WORKER_BYTES or more into a store with fewer papers than the file has kilobytes
 * (a record takes 0.6 kB gzipped, 1.5 kB plain), with nobody else on a SQLite store. Inserting rows one at
 * a time into ten indexes costs a fresh import of the 74,728-paper corpus more than building the indexes
 * once sorted; on a store that already holds most of the papers, rebuilding them would cost more. While a
 * server shares the store its reads need every index, so it keeps them. On PostgreSQL (other processes may
 * be reading without announcing themselves, and DROP INDEX waits for their locks) only when asked for.
 */
async function bulkLoad(db: Db, file: string, format: Format, size: number): Promise<boolean> {
  if (db.dialect !== 'sqlite' || format !== 'jsonl' || size < PARSE_IN_WORKER_BYTES || othersPresent(db.location)) return false;
  const { n } = await db.kysely.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n) * 1024 < size;
}

/** Guesses a file's format from its name and first bytes. */
export function detectFormat(file: string): Format {
  const name = file.toLowerCase();
  if (/\.(jsonl|ndjson)(\.gz)?$/.test(name) || isGzip(file)) return 'jsonl';
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(4096);
  const n = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const text = head.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) {
    if (/<OAI-PMH[\s>]/.test(text)) return 'oai-pmh';
    // An Atom feed is the arXiv API's when it says so near the top; any other is a feed of papers.
    if (/<feed[\s>]/.test(text)) return /arxiv\.org/i.test(text) ? 'arxiv-atom' : 'feed';
    if (/<rss[\s>]|<rdf:RDF[\s>]/.test(text)) return 'feed';
    throw new FormatError(file, 'XML, but neither an arXiv Atom feed, an OAI-PMH response nor an RSS feed');
  }
  if (text.startsWith('[')) return 'hf-daily';
  if (text.startsWith('{')) return 'jsonl';
  return 'hf-page';
}

/**
 * A whole document as text: UTF-8, or the Latin-1 / Windows-1252 its XML declaration names. Other
 * bytes that are not UTF-8 refuse the file at the line they are on, rather than becoming U+FFFD.
 */
function readDocument(file: string): string {
  const bytes = fs.readFileSync(file);
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const declared = /^<\?xml[^>]*encoding=["'](iso-8859-1|latin-?1|windows-1252)["']/i.exec(bytes.subarray(0, 200).toString('latin1'));
  if (declared) return new TextDecoder('windows-1252').decode(bytes);
  const at = firstInvalidByte(bytes);
  const line = at < 0 ? 1 : bytes.subarray(0, at).filter((b) => b === 10).length + 1;
  const byte = at < 0 ? '' : ` (byte 0x${bytes[at].toString(16).toUpperCase().padStart(2, '0')})`;
  throw new FormatError(file, `not valid UTF-8 at line ${line}${byte}: save the file as UTF-8`);
}

/** Parses a whole document format into events; these files are small, so they are read at once. */
function parseDocument(format: Exclude<Format, 'jsonl'>, file: string): ParseEvent[] {
  const text = readDocument(file);
  const label = path.basename(file);
  switch (format) {
    case 'arxiv-atom':
      return parseArxivAtom(text, label).events;
    case 'oai-pmh':
      return parseOaiPmh(text, label).events;
    case 'hf-daily':
      return parseHfDaily(text, label);
    case 'hf-page':
      return parseHfPage(text, label);
    case 'feed':
      return parseFeed(text, label);
  }
}

/**
 * Imports one file. The whole file is read first — a document parsed and every record checked; a JSON
 * Lines file decompressed and its last line checked — so a truncated, corrupt or wrong-format file is
 * refused before anything is written. Then the records are written in short transactions, a bad one
 * skipped and reported with its location. An import that is killed keeps what it committed, and
 * running it again skips those records as unchanged, by their hash.
 */
export async function importFile(db: Db, file: string, opts: ImportOptions = {}): Promise<ImportReport> {
  if (!fs.existsSync(file)) throw new FormatError(file, 'no such file');
  if (fs.statSync(file).isDirectory()) throw new FormatError(file, 'is a directory, not a file');
  const started = performance.now();
  const format = opts.format ?? detectFormat(file);
  const size = fs.statSync(file).size || 1;
  let events: Iterable<JsonlEvent> | AsyncIterable<JsonlEvent>;
  let progress: (written: number) => void;
  let onBatch: ((counts: UpsertCounts) => void) | undefined;
  if (format === 'jsonl') {
    let bytesRead = 0;
    const onBytes = (b: number) => (bytesRead = b);
    // The worker starts parsing while this thread checks the file; nothing is written until the check passed.
    const inWorker = opts.parseInWorker ?? size >= PARSE_IN_WORKER_BYTES;
    // Lines the store's papers were read from are recognised by the parser without parsing them.
    const known = inWorker ? await knownLines(db.kysely) : [];
    const read = inWorker ? readJsonlInWorker(file, { mapping: opts.mapping, onBytes, known }) : readJsonl(file, { mapping: opts.mapping, onBytes });
    const stream = read[Symbol.asyncIterator]();
    try {
      const before = fs.statSync(file);
      await checkJsonlComplete(file, (b) => opts.onProgress?.((CHECK_SHARE * b) / size, 0));
      const after = fs.statSync(file);
      if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) throw new FormatError(file, 'changed while it was being checked; nothing was written');
    } catch (err) {
      if ('stop' in read) await read.stop();
      throw err;
    }
    events = { [Symbol.asyncIterator]: () => stream };
    if ('unchangedShare' in read) onBatch = (c) => read.unchangedShare(c.unchanged / Math.max(1, c.added + c.updated + c.unchanged));
    progress = (written) => opts.onProgress?.(CHECK_SHARE + ((1 - CHECK_SHARE) * bytesRead) / size, written);
  } else {
    const parsed = parseDocument(format, file);
    events = parsed;
    progress = (written) => opts.onProgress?.(written / Math.max(1, parsed.length), written);
  }
  const deferredIndexes = (opts.deferReadIndexes ?? (await bulkLoad(db, file, format, size))) ? await dropReadIndexes(db.kysely, db.dialect) : [];
  let written: WriteResult;
  try {
    written = await writeEvents(db, events, opts.pacing, progress, onBatch);
  } finally {
    // Also after a failed write; a killed process leaves them to the next open (migrate).
    if (deferredIndexes.length) await restoreReadIndexes(db.kysely, db.dialect);
  }
  return { file, format, ...written, seconds: (performance.now() - started) / 1000, deferredIndexes };
}

/**
 * Writes parsed events to the store in short transactions; skips and notes are collected with their
 * locations. Used for each page a live fetch brings in and by the evaluation stores.
 */
export async function importEvents(
  db: Db,
  events: Iterable<ParseEvent> | AsyncIterable<ParseEvent>,
  opts: ImportOptions & { source: string; format: Format },
): Promise<ImportReport> {
  const started = performance.now();
  const written = await writeEvents(db, events, opts.pacing, (n) => opts.onProgress?.(0, n));
  return { file: opts.source, format: opts.format, ...written, seconds: (performance.now() - started) / 1000 };
}
