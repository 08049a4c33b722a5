/**
 * A vector index kept across restarts: the normalized matrix (paper ids and vectors) with the database mark
 * it was read up to, next to the HNSW graph built from the same rows (`<file>.hnsw-i8`, usearch's own format,
 * memory-mapped on load). A restarted server reads both in milliseconds and catches up from the mark,
 * instead of reading every vector from the database and spending tens of seconds on a graph.
 *
 * Layout: 8-byte magic, u32 header length, JSON header, padding to 8, Int32 ids, Float32 vectors.
 */
import fs from 'node:fs/promises';
import { readJsonHeader } from './file-header.ts';

const MAGIC = 'PBVECS01';
const align = (n: number) => (n + 7) & ~7;

/** What a snapshot says about itself. */
export interface VectorSnapshotHeader {
  embedder: string;
  dimensions: number;
  rows: number;
  /** The last stored vector read: (created_at, paper_id); the index reads what was written after it. */
  mark: { at: string; paperId: number };
  savedAt: string;
}

/** The snapshot's bytes (what the graph-building worker writes; see hnsw.ts). */
export function encodeVectorSnapshot(header: VectorSnapshotHeader, ids: Int32Array, vectors: Float32Array): Buffer {
  const head = Buffer.from(JSON.stringify(header));
  const start = align(12 + head.length);
  const out = Buffer.alloc(start + align(ids.byteLength) + vectors.byteLength);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(head.length, 8);
  head.copy(out, 12);
  out.set(new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength), start);
  out.set(new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength), start + align(ids.byteLength));
  return out;
}

/** Reads a snapshot file; undefined when there is none or it is of another format. */
export async function readVectorSnapshot(file: string): Promise<{ header: VectorSnapshotHeader; ids: Int32Array<ArrayBuffer>; vectors: Float32Array<ArrayBuffer> } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch {
    return undefined;
  }
  if (bytes.length < 12 || bytes.toString('latin1', 0, 8) !== MAGIC) return undefined;
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  const length = aligned.readUInt32LE(8);
  const header = JSON.parse(aligned.toString('utf8', 12, 12 + length)) as VectorSnapshotHeader;
  const start = align(12 + length);
  const ids = new Int32Array(aligned.buffer as ArrayBuffer, aligned.byteOffset + start, header.rows);
  const vectors = new Float32Array(aligned.buffer as ArrayBuffer, aligned.byteOffset + start + align(ids.byteLength), header.rows * header.dimensions);
  return { header, ids, vectors };
}

/** A snapshot's header alone, without reading its vectors. */
export function readVectorSnapshotHeader(file: string): Promise<VectorSnapshotHeader | undefined> {
  return readJsonHeader<VectorSnapshotHeader>(file, MAGIC);
}
