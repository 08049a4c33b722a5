/**
 * The storage under the vector index: papers' unit vectors in one growing Float32Array (row-major, one row
 * per paper), compared exactly by dot product. 75k papers × 256 dimensions is 75 MB, scanned in tens of ms.
 * The rows live in shared memory, so the thread that builds the graph reads them where they are: at a
 * million papers a copy would be another gigabyte for as long as the build takes.
 */
import { l2Normalize } from '../embed/embedder.ts';
import { TopK } from './top-k.ts';

/** A vector search hit: paper id and cosine similarity. */
export interface VectorHit {
  id: number;
  score: number;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Unit-length copy of a vector (a zero vector stays zero). */
export function normalized(v: Float32Array): Float32Array {
  return l2Normalize(new Float32Array(v));
}

/** Papers' unit vectors of one size, by paper id and by row. */
export class VectorMatrix {
  private data: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private ids: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private rowOf = new Map<number, number>();
  private rows = 0;

  constructor(readonly dimensions: number) {}

  /**
   * A matrix holding the first `rows` (already normalized) vectors of these arrays, row i for ids[i]; it takes
   * the arrays over, uncopied, and fills their spare rows before it grows.
   */
  static from(dimensions: number, ids: Int32Array<ArrayBufferLike>, vectors: Float32Array<ArrayBufferLike>, rows = ids.length): VectorMatrix {
    const m = new VectorMatrix(dimensions);
    m.ids = ids;
    m.data = vectors;
    m.rows = rows;
    for (let row = 0; row < rows; row++) m.rowOf.set(ids[row], row);
    return m;
  }

  /** How many papers have a vector here. */
  get size(): number {
    return this.rows;
  }

  /** The row of a paper's vector, if it has one. */
  row(paperId: number): number | undefined {
    return this.rowOf.get(paperId);
  }

  /** The paper whose vector is in a row. */
  paperAt(row: number): number {
    return this.ids[row];
  }

  /** A copy of a row's (unit) vector. */
  vector(row: number): Float32Array {
    return this.data.slice(row * this.dimensions, (row + 1) * this.dimensions);
  }

  /**
   * Stores a paper's vector from its stored bytes (little-endian float32), normalized, in the paper's row
   * or a new one; undefined when the bytes do not hold a vector of this size. `changed` is false when the
   * row already held this very vector (a look-back read seeing one again).
   */
  put(paperId: number, bytes: Uint8Array): { row: number; isNew: boolean; changed: boolean } | undefined {
    const d = this.dimensions;
    if (bytes.byteLength !== d * 4) return undefined;
    const incoming = new Float32Array(d);
    if (littleEndian) new Uint8Array(incoming.buffer).set(bytes);
    else {
      const view = new DataView(bytes.buffer, bytes.byteOffset, d * 4);
      for (let i = 0; i < d; i++) incoming[i] = view.getFloat32(i * 4, true);
    }
    l2Normalize(incoming);
    let row = this.rowOf.get(paperId);
    const isNew = row === undefined;
    if (row === undefined) {
      if (this.rows === this.ids.length) this.grow();
      row = this.rows++;
      this.rowOf.set(paperId, row);
      this.ids[row] = paperId;
    }
    const target = this.data.subarray(row * d, (row + 1) * d);
    const changed = isNew || target.some((x, i) => x !== incoming[i]);
    target.set(incoming);
    return { row, isNew, changed };
  }

  /** Rows to allocate beyond `n` when growing (also the room a snapshot is read with). */
  static spareRows(n: number): number {
    return Math.max(1024, n < 65_536 ? n : Math.ceil(n * 0.125));
  }

  private grow(): void {
    // Doubling a large matrix would hold three times its size while copying (1M × 356 floats: 1.4 GB old +
    // 2.8 GB new) for one late vector; past 64k rows grow by an eighth, still amortized constant per row.
    const n = this.ids.length;
    const capacity = n + VectorMatrix.spareRows(n);
    const data = new Float32Array(new SharedArrayBuffer(capacity * this.dimensions * 4));
    data.set(this.data);
    const ids = new Int32Array(new SharedArrayBuffer(capacity * 4));
    ids.set(this.ids);
    this.data = data;
    this.ids = ids;
  }

  /**
   * The first `rows` paper ids and vectors, for building a graph in another thread: views of the shared rows
   * (rows below `rows` change only when a paper's vector is replaced, which the index catches up on anyway),
   * or copies when the arrays are not shared.
   */
  snapshot(rows = this.rows): { ids: Int32Array; matrix: Float32Array } {
    const shared = (a: { buffer: ArrayBufferLike }) => a.buffer instanceof SharedArrayBuffer;
    const ids = shared(this.ids) ? this.ids.subarray(0, rows) : this.ids.slice(0, rows);
    const matrix = shared(this.data) ? this.data.subarray(0, rows * this.dimensions) : this.data.slice(0, rows * this.dimensions);
    return { ids: ids as Int32Array, matrix: matrix as Float32Array };
  }

  /** The dot product of a row's vector and a unit query: their cosine similarity. */
  dot(row: number, q: Float32Array): number {
    const d = this.dimensions;
    const m = this.data;
    let s = 0;
    for (let i = 0, o = row * d; i < d; i++, o++) s += m[o] * q[i];
    return s;
  }

  /**
   * The k papers most similar to a unit query, by comparing with every vector, best first. In slices of
   * SLICE_ROWS rows with a turn of the event loop between them: a million rows take hundreds of ms, which no
   * request may wait behind (this is the search before a graph is built, and filtered searches).
   */
  async nearest(q: Float32Array, k: number): Promise<VectorHit[]> {
    const top = new TopK(Math.min(k, this.rows));
    for (let start = 0; start < this.rows; start += SLICE_ROWS) {
      if (start > 0) await nextTurn();
      for (let row = start, end = Math.min(this.rows, start + SLICE_ROWS); row < end; row++) {
        const s = this.dot(row, q);
        if (s > top.floor) top.push(row, s);
      }
    }
    return top.sorted().map((h) => ({ id: this.ids[h.item], score: h.score }));
  }

  /** The k papers among `paperIds` most similar to a unit query, best first; papers without a vector are skipped (sliced like nearest). */
  async nearestAmong(q: Float32Array, paperIds: Iterable<number>, k: number): Promise<VectorHit[]> {
    const top = new TopK(k);
    let inSlice = 0;
    for (const id of paperIds) {
      if (++inSlice > SLICE_ROWS) {
        inSlice = 0;
        await nextTurn();
      }
      const row = this.rowOf.get(id);
      if (row === undefined) continue;
      const s = this.dot(row, q);
      if (s > top.floor) top.push(row, s);
    }
    return top.sorted().map((h) => ({ id: this.ids[h.item], score: h.score }));
  }
}

/** Rows compared in one go: 32k × 256 dimensions is about 10–20 ms here. */
const SLICE_ROWS = 32_768;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
