import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { upsertRecords } from '../papers/papers.service.ts';
import { keywordIndexFor } from '../search/keyword-index.ts';
import { parseArxivAtom } from './arxiv-atom.ts';
import { parseHfDaily } from './hf-daily.ts';
import { parseHfPage } from './hf-page.ts';
import { isGzip, readJsonl, type JsonlMapping } from './jsonl.ts';
import { parseOaiPmh } from './oai-pmh.ts';
import { FormatError, type ParseEvent } from './types.ts';

/** The file formats `paperboy import` understands. */
export const FORMATS = ['jsonl', 'arxiv-atom', 'oai-pmh', 'hf-daily', 'hf-page'] as const;
/** One of FORMATS. */
export type Format = (typeof FORMATS)[number];

/** What an import did; `skipped` lists every record left out, with where and why. */
export interface ImportReport {
  file: string;
  format: Format;
  added: number;
  updated: number;
  unchanged: number;
  skipped: { location: string; reason: string }[];
  seconds: number;
}

/** Options of one import. */
export interface ImportOptions {
  format?: Format;
  mapping?: JsonlMapping;
  /** Called as the file is read: fraction done from 0 to 1, and records seen so far. */
  onProgress?: (fraction: number, records: number) => void;
  /** Records per database round; larger is faster, smaller keeps memory flat. */
  batchSize?: number;
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
    if (/<feed[\s>]/.test(text)) return 'arxiv-atom';
    throw new FormatError(file, 'XML, but neither an arXiv Atom feed nor an OAI-PMH response');
  }
  if (text.startsWith('[')) return 'hf-daily';
  if (text.startsWith('{')) return 'jsonl';
  return 'hf-page';
}

/** Parses a whole document format into events; these files are small, so they are read at once. */
function parseDocument(format: Exclude<Format, 'jsonl'>, file: string): ParseEvent[] {
  const text = fs.readFileSync(file, 'utf8');
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
  }
}

/**
 * Imports one file in a single transaction: bad records are skipped and reported with their
 * location, and a file-level problem (wrong format, truncation) rolls everything back.
 */
export async function importFile(db: Db, file: string, opts: ImportOptions = {}): Promise<ImportReport> {
  if (!fs.existsSync(file)) throw new FormatError(file, 'no such file');
  const format = opts.format ?? detectFormat(file);
  const size = fs.statSync(file).size || 1;
  if (format !== 'jsonl') {
    const events = parseDocument(format, file);
    return importEvents(db, events, { ...opts, source: file, format, progress: (seen) => seen / Math.max(1, events.length) });
  }
  let bytesRead = 0;
  const events = readJsonl(file, { mapping: opts.mapping, onBytes: (b) => (bytesRead = b) });
  return importEvents(db, events, { ...opts, source: file, format, progress: () => bytesRead / size });
}

/**
 * Writes parsed events to the store in one transaction, in batches; skips are collected with their
 * locations. Used for files and for each page a live fetch brings in.
 */
export async function importEvents(
  db: Db,
  events: Iterable<ParseEvent> | AsyncIterable<ParseEvent>,
  opts: ImportOptions & { source: string; format: Format; progress?: (seen: number) => number },
): Promise<ImportReport> {
  const started = performance.now();
  const report: ImportReport = { file: opts.source, format: opts.format, added: 0, updated: 0, unchanged: 0, skipped: [], seconds: 0 };
  const keyword = keywordIndexFor(db.dialect);
  const batchSize = opts.batchSize ?? 1000;
  await db.kysely.transaction().execute(async (trx) => {
    let batch: PaperRecord[] = [];
    let seen = 0;
    const flush = async () => {
      const counts = await upsertRecords(trx, keyword, batch);
      report.added += counts.added;
      report.updated += counts.updated;
      report.unchanged += counts.unchanged;
      batch = [];
      opts.onProgress?.(opts.progress?.(seen) ?? 0, seen);
    };
    for await (const event of events) {
      seen++;
      if (event.kind === 'skip') report.skipped.push({ location: event.location, reason: event.reason });
      else batch.push(event.record);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  });
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
