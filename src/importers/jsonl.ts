import fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { PaperRecord } from '../papers/paper.ts';
import { FormatError, type ParseEvent } from './types.ts';

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

/** Maps one JSON object through a field mapping to a record, or explains why it cannot. */
export function mapObject(obj: unknown, mapping: JsonlMapping, source: PaperRecord['source']): PaperRecord | string {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return 'not a JSON object';
  const title = asString(get(obj, mapping.title));
  if (!title) return `missing title (field "${mapping.title}")`;
  const id = asString(get(obj, mapping.id));
  const date = asString(get(obj, mapping.date));
  if (date && !/^\d{4}-\d{2}-\d{2}/.test(date)) return `date "${date}" is not YYYY-MM-DD (field "${mapping.date}")`;
  const upvotes = get(obj, mapping.upvotes);
  const record: PaperRecord = {
    source,
    title,
    arxivId: id,
    doi: asString(get(obj, mapping.doi)),
    abstract: asString(get(obj, mapping.abstract)),
    authors: asList(get(obj, mapping.authors), /\s*(?:,|;|\band\b)\s*/),
    categories: asList(get(obj, mapping.categories), /\s+/),
    comment: asString(get(obj, mapping.comment)),
    announcedOn: date?.slice(0, 10),
    upvotes: typeof upvotes === 'number' && Number.isFinite(upvotes) ? Math.max(0, Math.round(upvotes)) : undefined,
  };
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as unknown as PaperRecord;
}

/** Our own schema: each line is a PaperRecord; only the type of each field is checked. */
function ownRecord(obj: any): PaperRecord | string {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return 'not a JSON object';
  if (typeof obj.title !== 'string' || !obj.title.trim()) return 'missing title';
  for (const key of ['authors', 'categories'] as const) {
    if (obj[key] !== undefined && !(Array.isArray(obj[key]) && obj[key].every((x: unknown) => typeof x === 'string'))) return `${key} must be a list of strings`;
  }
  if (obj.upvotes !== undefined && typeof obj.upvotes !== 'number') return 'upvotes must be a number';
  return { ...obj, source: obj.source ?? 'jsonl' };
}

/** Chooses a reader for a file from its first object: our schema, the arXiv corpus, or an explicit mapping. */
function chooseReader(first: any, mapping?: JsonlMapping): (obj: unknown) => PaperRecord | string {
  if (mapping) return (o) => mapObject(o, mapping, 'jsonl');
  if (first && typeof first === 'object' && 'summary' in first && 'first_seen' in first) return (o) => mapObject(o, ARXIV_CORPUS_MAPPING, 'arxiv-jsonl');
  return ownRecord;
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
 * bytes read through `onBytes`. A bad line is skipped with its line number; a truncated file or one
 * that is not JSON Lines at all throws FormatError.
 */
export async function* readJsonl(
  file: string,
  opts: { mapping?: JsonlMapping; onBytes?: (bytes: number) => void } = {},
): AsyncGenerator<ParseEvent> {
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  let bytes = 0;
  raw.on('data', (chunk) => {
    bytes += chunk.length;
    opts.onBytes?.(bytes);
  });
  const text = isGzip(file) ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (err) => text.destroy(err));
  text.setEncoding('utf8');
  let reader: ((obj: unknown) => PaperRecord | string) | undefined;
  let lineNo = 0;
  let parsedAny = false;
  let failuresBeforeFirst = 0;
  let rest = '';
  const handle = function* (line: string, last: boolean): Generator<ParseEvent> {
    lineNo++;
    if (!line.trim()) return;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (err) {
      if (last) throw new FormatError(file, `truncated: line ${lineNo} ends mid-record (${(err as Error).message})`);
      if (!parsedAny && ++failuresBeforeFirst >= 3) throw new FormatError(file, 'not JSON Lines: the first lines are not JSON objects');
      yield { kind: 'skip', location: `${file}:${lineNo}`, reason: `invalid JSON: ${(err as Error).message}` };
      return;
    }
    parsedAny = true;
    reader ??= chooseReader(obj, opts.mapping);
    const result = reader(obj);
    if (typeof result === 'string') yield { kind: 'skip', location: `${file}:${lineNo}`, reason: result };
    else yield { kind: 'record', record: result, location: `${file}:${lineNo}` };
  };
  try {
    for await (const chunk of text as AsyncIterable<string>) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) yield* handle(line, false);
    }
  } catch (err) {
    if (err instanceof FormatError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message)) throw new FormatError(file, `truncated gzip stream after line ${lineNo}`);
    if (e.code?.startsWith('Z_')) throw new FormatError(file, `corrupt gzip data after line ${lineNo}: ${e.message}`);
    throw new FormatError(file, e.message);
  }
  if (rest) yield* handle(rest, true);
  if (!parsedAny && lineNo > 0 && failuresBeforeFirst > 0) throw new FormatError(file, 'not JSON Lines: no line is a JSON object');
}
