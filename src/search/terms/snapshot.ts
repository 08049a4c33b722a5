/**
 * The term index as one binary snapshot: written by the builder (in a worker thread), kept under the data
 * directory so a restart loads it instead of rebuilding, and read in place — typed-array views over the
 * file's bytes and open-addressing hash tables built by the writer — so loading parses nothing and never
 * holds the event loop, however large the vocabulary.
 *
 * Layout (little-endian): 8-byte magic, u32 header length, JSON header, padding to 8, then the sections
 * named in `SECTIONS`, each 8-byte aligned.
 */

import { readJsonHeader } from '../file-header.ts';

/** Identifies a snapshot file (and its format version). */
export const MAGIC = 'PBTERMS2';

/** The BM25F parameters a snapshot's impacts were computed with. */
export interface Bm25fParams {
  k1: number;
  fields: Record<'title' | 'abstract' | 'authors', { weight: number; b: number }>;
}

/** What the header says about the sections that follow. */
export interface SnapshotHeader {
  fingerprint: string;
  params: Bm25fParams;
  builtAt: string;
  docs: number;
  terms: number;
  postings: number;
  vocab: number;
  averageLengths: Record<'title' | 'abstract' | 'authors', number>;
}

/** The sections, in file order, with their element types. */
export const SECTIONS = {
  ids: Int32Array, // row → paper id, ascending
  termOffsets: Int32Array, // terms + 1: where each term's bytes start in termBytes
  termBytes: Uint8Array, // the terms, UTF-8, back to back
  termTable: Int32Array, // open-addressing hash table: slot → term number + 1 (0 = empty)
  postingOffsets: Int32Array, // terms + 1: where each term's postings start
  rows: Int32Array, // postings: rows, ascending within a term
  impacts: Float32Array, // postings: the BM25F term-frequency part of the score
  vocabOffsets: Int32Array, // vocab + 1: surface words (for spelling suggestions)
  vocabBytes: Uint8Array,
  vocabTable: Int32Array,
  vocabDf: Int32Array, // vocab: in how many papers the word occurs
} as const;

/** The loaded sections. */
export type Sections = { [K in keyof typeof SECTIONS]: K extends 'termBytes' | 'vocabBytes' ? Uint8Array : K extends 'impacts' ? Float32Array : Int32Array };

const encoder = new TextEncoder();

/** FNV-1a over bytes: the hash of the writer's and the reader's tables. */
export function hashBytes(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** An open-addressing table (size a power of two, at most half full) over strings stored back to back. */
export function buildTable(bytes: Uint8Array, offsets: Int32Array): Int32Array {
  const n = offsets.length - 1;
  let size = 8;
  while (size < n * 2) size *= 2;
  const table = new Int32Array(size);
  for (let i = 0; i < n; i++) {
    let slot = hashBytes(bytes, offsets[i], offsets[i + 1]) & (size - 1);
    while (table[slot] !== 0) slot = (slot + 1) & (size - 1);
    table[slot] = i + 1;
  }
  return table;
}

/** The number of a string in a table, or -1. */
export function lookup(table: Int32Array, bytes: Uint8Array, offsets: Int32Array, key: string): number {
  const k = encoder.encode(key);
  const mask = table.length - 1;
  for (let slot = hashBytes(k) & mask; ; slot = (slot + 1) & mask) {
    const entry = table[slot];
    if (entry === 0) return -1;
    const i = entry - 1;
    const start = offsets[i];
    if (offsets[i + 1] - start === k.length) {
      let same = true;
      for (let j = 0; j < k.length; j++) if (bytes[start + j] !== k[j]) (same = false), (j = k.length);
      if (same) return i;
    }
  }
}

/** Strings as bytes back to back with their offsets. */
export function packStrings(strings: string[]): { bytes: Uint8Array; offsets: Int32Array } {
  const parts = strings.map((s) => encoder.encode(s));
  const offsets = new Int32Array(parts.length + 1);
  for (let i = 0; i < parts.length; i++) offsets[i + 1] = offsets[i] + parts[i].length;
  const bytes = new Uint8Array(offsets[parts.length]);
  parts.forEach((p, i) => bytes.set(p, offsets[i]));
  return { bytes, offsets };
}

const align = (n: number) => (n + 7) & ~7;

/** Serializes a header and its sections into one buffer. */
export function writeSnapshot(header: SnapshotHeader, sections: Sections): Buffer {
  const head = Buffer.from(JSON.stringify({ ...header, lengths: Object.fromEntries(Object.entries(sections).map(([k, v]) => [k, v.length])) }));
  let size = align(12 + head.length);
  for (const v of Object.values(sections)) size += align(v.byteLength);
  const out = Buffer.alloc(size);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(head.length, 8);
  head.copy(out, 12);
  let at = align(12 + head.length);
  for (const v of Object.values(sections)) {
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), at);
    at += align(v.byteLength);
  }
  return out;
}

/** Reads a snapshot: the header and views of its sections (no copy when the buffer is aligned). */
export function readSnapshot(buffer: Buffer): { header: SnapshotHeader; sections: Sections } {
  if (buffer.toString('latin1', 0, 8) !== MAGIC) throw new Error('not a term index snapshot of this version');
  // Views need their element alignment; a buffer that starts off an 8-byte boundary is copied once.
  const bytes = buffer.byteOffset % 8 === 0 ? buffer : Buffer.from(buffer);
  const headLength = bytes.readUInt32LE(8);
  const parsed = JSON.parse(bytes.toString('utf8', 12, 12 + headLength)) as SnapshotHeader & { lengths: Record<string, number> };
  let at = align(12 + headLength);
  const sections = {} as Record<string, unknown>;
  for (const [name, Type] of Object.entries(SECTIONS)) {
    const length = parsed.lengths[name];
    sections[name] = new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + at, length);
    at += align(length * Type.BYTES_PER_ELEMENT);
  }
  const { lengths: _lengths, ...header } = parsed;
  return { header, sections: sections as Sections };
}

/** A snapshot file's header alone (a few hundred bytes read), or undefined when there is none of this version. */
export function readSnapshotHeader(file: string): Promise<SnapshotHeader | undefined> {
  return readJsonHeader<SnapshotHeader>(file, MAGIC);
}
