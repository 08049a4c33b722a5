/**
 * A vector index kept across restarts: the normalized matrix (paper ids and vectors) with the database mark
 * it was read up to, next to the HNSW graph built from the same rows (`<file>.hnsw-i8`, usearch's own format,
 * memory-mapped on load). A restarted server reads both in milliseconds and catches up from the mark,
 * instead of reading every vector from the database and spending tens of seconds on a graph.
 *
 * Layout: 8-byte magic, u32 header length, JSON header, padding to 8, Int32 ids, Float32 vectors.
 */
import fsSync from 'node:fs';
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

/**
 * Writes a snapshot file part by part from the arrays themselves (what the graph-building worker does; see
 * hnsw.ts): one buffer of the whole file would be another copy of the matrix, 1 GB at a million papers.
 */
export function writeVectorSnapshot(file: string, header: VectorSnapshotHeader, ids: Int32Array, vectors: Float32Array): void {
  const head = Buffer.from(JSON.stringify(header));
  const start = align(12 + head.length);
  const prefix = Buffer.alloc(start);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(head.length, 8);
  head.copy(prefix, 12);
  const fd = fsSync.openSync(file, 'w');
  try {
    const write = (bytes: Uint8Array) => {
      for (let done = 0; done < bytes.byteLength; ) done += fsSync.writeSync(fd, bytes, done, Math.min(bytes.byteLength - done, 64 << 20));
    };
    write(prefix);
    write(new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength));
    write(new Uint8Array(align(ids.byteLength) - ids.byteLength));
    write(new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
  } finally {
    fsSync.closeSync(fd);
  }
}

/**
 * Reads a snapshot file into shared memory with room for `spareRows(rows)` more rows (so the vectors can go to
 * the graph-building thread without a copy, and the next papers fit without growing); undefined when there
 * is none or it is of another format.
 */
export async function readVectorSnapshot(
  file: string,
  spareRows: (rows: number) => number = () => 0,
): Promise<{ header: VectorSnapshotHeader; ids: Int32Array<SharedArrayBuffer>; vectors: Float32Array<SharedArrayBuffer>; capacity: number } | undefined> {
  const header = await readVectorSnapshotHeader(file);
  if (!header) return undefined;
  const handle = await fs.open(file, 'r');
  try {
    const start = align(12 + (await headerLength(handle)));
    const capacity = header.rows + spareRows(header.rows);
    const ids = new Int32Array(new SharedArrayBuffer(capacity * 4));
    const vectors = new Float32Array(new SharedArrayBuffer(capacity * header.dimensions * 4));
    const readInto = async (target: Uint8Array, position: number) => {
      for (let done = 0; done < target.byteLength; ) {
        const { bytesRead } = await handle.read(target, done, Math.min(target.byteLength - done, 64 << 20), position + done);
        if (bytesRead === 0) throw new Error(`${file}: the snapshot is shorter than its header says`);
        done += bytesRead;
      }
    };
    await readInto(new Uint8Array(ids.buffer, 0, header.rows * 4), start);
    await readInto(new Uint8Array(vectors.buffer, 0, header.rows * header.dimensions * 4), start + align(header.rows * 4));
    return { header, ids, vectors, capacity };
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/** The JSON header's length, from the file's bytes 8–12. */
async function headerLength(handle: fs.FileHandle): Promise<number> {
  const b = Buffer.alloc(4);
  await handle.read(b, 0, 4, 8);
  return b.readUInt32LE(0);
}

/** A snapshot's header alone, without reading its vectors. */
export function readVectorSnapshotHeader(file: string): Promise<VectorSnapshotHeader | undefined> {
  return readJsonHeader<VectorSnapshotHeader>(file, MAGIC);
}
