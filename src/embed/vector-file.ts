import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * Word vectors as stored in src/embed/data: int8 values with one float32 scale per word, plus each
 * word's corpus count (SIF weights) and, when known, the number of documents holding it (IDF weights).
 * Layout, gzipped: one JSON header line, the words one per line, padding to 4 bytes, float32
 * scales[count], uint32 counts[count], uint32 documentCounts[count] (only when the header has
 * `documents`), int8 values[count × dimensions].
 */
export interface WordVectors {
  /** Header metadata: where the vectors come from, their license, how they were made. */
  meta: WordVectorsMeta;
  words: string[];
  dimensions: number;
  /** Corpus count (or an estimate from frequency rank) per word. */
  counts: Uint32Array;
  /** Documents (of `meta.documents`) that contain each word, for IDF. */
  documentCounts?: Uint32Array;
  /** Row-major float32 values, `words.length × dimensions`. */
  vectors: Float32Array;
}

/** What a vector file says about itself. */
export interface WordVectorsMeta {
  name: string;
  source: string;
  license: string;
  /** Total tokens the counts were taken over, for word probabilities. */
  totalCount: number;
  /** Documents the document counts were taken over; set exactly when `documentCounts` is. */
  documents?: number;
  [key: string]: unknown;
}

const FORMAT = 'paperboy-word-vectors/1';

/** Quantizes to int8 with a per-word scale and writes the gzipped file; returns its size in bytes. */
export function writeWordVectors(file: string, wv: WordVectors): number {
  const n = wv.words.length;
  const d = wv.dimensions;
  for (const w of wv.words) if (w.includes('\n')) throw new Error(`vector file: word ${JSON.stringify(w)} contains a newline`);
  if ((wv.documentCounts === undefined) !== (wv.meta.documents === undefined)) throw new Error('vector file: documentCounts and meta.documents go together');
  const head = Buffer.from(`${JSON.stringify({ format: FORMAT, count: n, dimensions: d, ...wv.meta })}\n${wv.words.join('\n')}\n`, 'utf8');
  const pad = (4 - (head.length % 4)) % 4;
  const docBytes = wv.documentCounts ? n * 4 : 0;
  const body = Buffer.alloc(pad + n * 8 + docBytes + n * d);
  const scales = new Float32Array(n);
  const values = new Int8Array(n * d);
  for (let i = 0; i < n; i++) {
    let max = 0;
    for (let k = 0; k < d; k++) max = Math.max(max, Math.abs(wv.vectors[i * d + k]));
    const scale = max / 127 || 1;
    scales[i] = scale;
    for (let k = 0; k < d; k++) values[i * d + k] = Math.round(wv.vectors[i * d + k] / scale);
  }
  Buffer.from(scales.buffer).copy(body, pad);
  Buffer.from(wv.counts.buffer, wv.counts.byteOffset, n * 4).copy(body, pad + n * 4);
  if (wv.documentCounts) Buffer.from(wv.documentCounts.buffer, wv.documentCounts.byteOffset, n * 4).copy(body, pad + n * 8);
  Buffer.from(values.buffer).copy(body, pad + n * 8 + docBytes);
  const gz = gzipSync(Buffer.concat([head, body]), { level: 9 });
  writeFileSync(file, gz);
  return gz.length;
}

/** Reads a file written by `writeWordVectors`, expanding the int8 values to float32. */
export function readWordVectors(file: string): WordVectors {
  const buf = gunzipSync(readFileSync(file));
  const headerEnd = buf.indexOf(10);
  const header = JSON.parse(buf.subarray(0, headerEnd).toString('utf8')) as WordVectorsMeta & { format: string; count: number; dimensions: number };
  if (header.format !== FORMAT) throw new Error(`vector file ${file}: unknown format ${JSON.stringify(header.format)}`);
  const { count: n, dimensions: d, format: _format, ...meta } = header;
  let pos = headerEnd + 1;
  const words: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const end = buf.indexOf(10, pos);
    words[i] = buf.subarray(pos, end).toString('utf8');
    pos = end + 1;
  }
  pos += (4 - (pos % 4)) % 4;
  // Copy into aligned buffers: the gunzipped Buffer's offset is not guaranteed to be a multiple of 4.
  const scales = new Float32Array(buf.buffer.slice(buf.byteOffset + pos, buf.byteOffset + pos + n * 4));
  const counts = new Uint32Array(buf.buffer.slice(buf.byteOffset + pos + n * 4, buf.byteOffset + pos + n * 8));
  const documentCounts = meta.documents === undefined ? undefined : new Uint32Array(buf.buffer.slice(buf.byteOffset + pos + n * 8, buf.byteOffset + pos + n * 12));
  const values = new Int8Array(buf.buffer, buf.byteOffset + pos + n * 8 + (documentCounts ? n * 4 : 0), n * d);
  const vectors = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const s = scales[i];
    for (let k = 0; k < d; k++) vectors[i * d + k] = values[i * d + k] * s;
  }
  return { meta: meta as WordVectorsMeta, words, dimensions: d, counts, documentCounts, vectors };
}
