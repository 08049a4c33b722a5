import fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import { isTimestamp, type PaperRecord } from '../papers/paper.ts';
import { readLines, readTail } from './lines.ts';
import { hashOfRecordJson } from '../papers/merge.ts';
import { FormatError, recordEvent, type JsonlEvent, type ParseEvent } from './types.ts';

/**
 * Where each paper field lives in a JSONL object (dot paths). Users pass their own with
 * `paperboy import --map title=name,abstract=summary,...`; see docs/importing.md.
 */
export interface JsonlMapping {
  id?: string;
  doi?: string;
  title: string;
  abstract?: string;
  authors?: string;
  date?: string;
  categories?: string;
  comment?: string;
  upvotes?: string;
}

/** The arXiv cs daily corpus (shared/data/arxiv_cs_daily): `summary`, `first_seen`, plain `id`. */
export const ARXIV_CORPUS_MAPPING: JsonlMapping = {
  id: 'id', title: 'title', abstract: 'summary', authors: 'authors', date: 'first_seen', categories: 'categories', comment: 'comment',
};

const MAPPING_FIELDS = ['id', 'doi', 'title', 'abstract', 'authors', 'date', 'categories', 'comment', 'upvotes'] as const;

/** Parses `title=name,abstract=summary` into a mapping; throws with the offending part. */
export function parseMapping(spec: string): JsonlMapping {
  const mapping: Partial<JsonlMapping> = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [field, path] = part.split('=').map((s) => s?.trim());
    if (!path || !(MAPPING_FIELDS as readonly string[]).includes(field)) {
      throw new Error(`--map: "${part}" is not FIELD=PATH with FIELD one of ${MAPPING_FIELDS.join(', ')}`);
    }
    (mapping as Record<string, string>)[field] = path;
  }
  if (!mapping.title) throw new Error('--map: a mapping needs at least title=PATH');
  return mapping as JsonlMapping;
}

function get(obj: unknown, path: string | undefined): unknown {
  if (!path) return undefined;
  let v: any = obj;
  for (const key of path.split('.')) v = v == null ? undefined : v[key];
  return v;
}

function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function asList(v: unknown, splitter: RegExp): string[] | undefined {
  if (Array.isArray(v)) {
    const names = v.map((x) => (typeof x === 'string' ? x : asString((x as any)?.name))).filter((x): x is string => !!x);
    return names.length ? names : undefined;
  }
  if (typeof v === 'string' && v.trim()) return v.split(splitter).map((s) => s.trim()).filter(Boolean);
  return undefined;
}

/**
 * Maps one JSON object through a field mapping to a candidate record (validated by the caller), or
 * explains why it cannot. Loose values are read generously (a number as a string, `{"name"}` authors);
 * a date must still be a real day or timestamp, never cut to its first ten characters.
 */
export function mapObject(obj: unknown, mapping: JsonlMapping, source: PaperRecord['source']): object | string {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return 'not a JSON object';
  const title = asString(get(obj, mapping.title));
  if (!title) return `missing title (field "${mapping.title}")`;
  const date = asString(get(obj, mapping.date));
  if (date && !isTimestamp(date)) return `date ${JSON.stringify(date.slice(0, 60))} (field "${mapping.date}") is not a real day or timestamp from 1990 to now`;
  const upvotes = get(obj, mapping.upvotes);
  const record = {
    source,
    title,
    arxivId: asString(get(obj, mapping.id)),
    doi: asString(get(obj, mapping.doi)),
    abstract: asString(get(obj, mapping.abstract)),
    authors: asList(get(obj, mapping.authors), /\s*(?:,|;|\band\b)\s*/),
    categories: asList(get(obj, mapping.categories), /\s+/),
    comment: asString(get(obj, mapping.comment)),
    announcedOn: date?.slice(0, 10),
    upvotes: typeof upvotes === 'string' && /^\d+$/.test(upvotes.trim()) ? Number(upvotes) : upvotes ?? undefined,
  };
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/** Our own schema: each line is a PaperRecord, checked field by field by the record schema. */
function ownRecord(obj: unknown): object | string {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return 'not a JSON object';
  const record = obj as { source?: unknown };
  return record.source === undefined ? { ...record, source: 'jsonl' } : record;
}

/** How a file's objects become candidate records, and a tag naming it (what line hashes include). */
interface Reader {
  tag: string;
  read: (obj: unknown) => object | string;
}

/** Chooses a reader for a file from its first object: our schema, the arXiv corpus, or an explicit mapping. */
function chooseReader(first: any, mapping?: JsonlMapping): Reader {
  if (mapping) return readerOf(`map:${JSON.stringify(mapping)}`);
  return readerOf(first && typeof first === 'object' && 'summary' in first && 'first_seen' in first ? 'arxiv' : 'own');
}

/** The reader a tag names (chooseReader's tags). */
function readerOf(tag: string): Reader {
  if (tag.startsWith('map:')) {
    const mapping = JSON.parse(tag.slice(4)) as JsonlMapping;
    return { tag, read: (o) => mapObject(o, mapping, 'jsonl') };
  }
  return { tag, read: tag === 'arxiv' ? (o) => mapObject(o, ARXIV_CORPUS_MAPPING, 'arxiv-jsonl') : ownRecord };
}

/**
 * What a line turns into is fixed by its text and the reader: bump this whenever mapObject, ownRecord or the
 * record schema change what a line becomes, so stored line hashes stop matching and every line is read again.
 */
const LINE_FORMAT = 1;

/** A line's hash under a reader: equal hashes mean the same record (SourceSeen.line). */
export function lineHash(readerTag: string, text: string): string {
  return hashOfRecordJson(`${LINE_FORMAT}\0${readerTag}\0${text}`);
}

/** Reads one line that readJsonl passed on as known (a KnownLineEvent), exactly as readJsonl would have. */
export function parseJsonlLine(text: string, location: string, readerTag: string): ParseEvent {
  const event = recordEvent(location, readerOf(readerTag).read(JSON.parse(text)));
  if (event.kind === 'record' && !event.notes) event.line = lineHash(readerTag, text);
  return event;
}

/** True when the file starts with the gzip magic bytes. */
export function isGzip(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    return fs.readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Streams a JSON Lines file (plain or gzip) as parse events, one per line, reporting compressed
 * bytes read through `onBytes`. A bad line — invalid JSON or UTF-8, over the 1 MiB limit, or a record
 * the schema refuses — is skipped with its line number; a truncated file or one that is not JSON Lines
 * at all throws FormatError.
 */
export function readJsonl(
  file: string,
  opts: { mapping?: JsonlMapping; onBytes?: (bytes: number) => void; maxLineBytes?: number } = {},
): AsyncGenerator<ParseEvent> {
  // Without `known` no line is passed on unparsed.
  return readJsonlLines(file, opts) as AsyncGenerator<ParseEvent>;
}

/**
 * readJsonl for a bulk import: each record without notes carries its line hash (`line`, for
 * SourceSeen.line), and a line whose hash is in `known` is passed on unparsed, as a KnownLineEvent.
 */
export async function* readJsonlLines(
  file: string,
  opts: {
    mapping?: JsonlMapping;
    onBytes?: (bytes: number) => void;
    maxLineBytes?: number;
    /** Line hashes stored papers were read from, with the paper. */
    known?: Map<string, number>;
  } = {},
): AsyncGenerator<JsonlEvent> {
  const stream = openBytes(file, opts.onBytes);
  const hashing = opts.known !== undefined;
  let reader: Reader | undefined;
  let lineNo = 0;
  let parsedAny = false;
  let failuresBeforeFirst = 0;
  try {
    for await (const line of readLines(stream, opts.maxLineBytes)) {
      lineNo = line.number;
      const location = `${file}:${line.number}`;
      if ('error' in line) {
        yield { kind: 'skip', location, reason: line.error };
        continue;
      }
      if (!line.text.trim()) continue;
      const hash = hashing && reader ? lineHash(reader.tag, line.text) : undefined;
      const paperId = hash === undefined ? undefined : opts.known?.get(hash);
      if (paperId !== undefined) {
        yield { kind: 'known', location, line: hash!, paperId, text: line.text, reader: reader!.tag };
        continue;
      }
      let obj: unknown;
      try {
        obj = JSON.parse(line.text);
      } catch (err) {
        if (line.last) throw new FormatError(file, `truncated: line ${line.number} ends mid-record (${(err as Error).message})`);
        if (!parsedAny && ++failuresBeforeFirst >= 3) throw new FormatError(file, 'not JSON Lines: the first lines are not JSON objects');
        yield { kind: 'skip', location, reason: `invalid JSON: ${(err as Error).message}` };
        continue;
      }
      parsedAny = true;
      reader ??= chooseReader(obj, opts.mapping);
      const event = recordEvent(location, reader.read(obj));
      // A record with notes is read again each time, so its notes are reported each time.
      if (hashing && event.kind === 'record' && !event.notes) event.line = hash ?? lineHash(reader.tag, line.text);
      yield event;
    }
  } catch (err) {
    throw readError(file, err, lineNo);
  }
  if (!parsedAny && lineNo > 0 && failuresBeforeFirst > 0) throw new FormatError(file, 'not JSON Lines: no line is a JSON object');
}

/** The file's bytes, decompressed when it is gzip, with read errors passed on to the stream's reader. */
function openBytes(file: string, onBytes?: (bytes: number) => void): AsyncIterable<Buffer> {
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  let bytes = 0;
  if (onBytes) raw.on('data', (chunk) => onBytes((bytes += chunk.length)));
  const stream = isGzip(file) ? raw.pipe(createGunzip({ chunkSize: 1 << 16 })) : raw;
  raw.on('error', (err) => stream.destroy(err));
  return stream as AsyncIterable<Buffer>;
}

/** A read or gzip failure as the FormatError users see, with the last line read. */
function readError(file: string, err: unknown, lineNo: number): FormatError {
  if (err instanceof FormatError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message)) return new FormatError(file, `truncated gzip stream after line ${lineNo}`);
  if (e.code?.startsWith('Z_')) return new FormatError(file, `corrupt gzip data after line ${lineNo}: ${e.message}`);
  return new FormatError(file, e.message);
}

/**
 * Reads the whole file once without parsing it — decompressing a gzip file checks its length and CRC —
 * and checks that its last line is complete: what lets an import refuse a truncated or corrupt file
 * before writing anything, while the records themselves are checked as they stream in.
 */
export async function checkJsonlComplete(file: string, onBytes?: (bytes: number) => void): Promise<number> {
  let scan: Awaited<ReturnType<typeof readTail>>;
  try {
    scan = await readTail(openBytes(file, onBytes));
  } catch (err) {
    throw readError(file, err, 0);
  }
  const tail = scan.tail;
  if (tail && 'text' in tail && tail.text.trim()) {
    try {
      JSON.parse(tail.text);
    } catch (err) {
      throw new FormatError(file, `truncated: line ${tail.number} ends mid-record (${(err as Error).message})`);
    }
  }
  return scan.lines;
}
