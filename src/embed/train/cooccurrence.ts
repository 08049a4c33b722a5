import type { CsrMatrix } from './sparse.ts';

/**
 * Weighted word–word co-occurrence counts within a sliding window, in an open-addressing hash table
 * keyed by the (smaller id, larger id) pair packed into 32 bits — so the vocabulary is at most 65,535.
 */
export class CooccurrenceCounter {
  private keys: Uint32Array;
  private values: Float32Array;
  private used = 0;

  constructor(readonly vocabularySize: number, initialCapacityLog2 = 24) {
    if (vocabularySize > 0xffff) throw new Error(`cooccurrence: vocabulary of ${vocabularySize} exceeds 65,535 words`);
    this.keys = new Uint32Array(1 << initialCapacityLog2).fill(EMPTY);
    this.values = new Float32Array(1 << initialCapacityLog2);
  }

  /** Distinct word pairs counted so far. */
  get size(): number {
    return this.used;
  }

  /** Counts the pairs of one token sequence: within `window` positions, weighted 1/distance. */
  addSequence(ids: ArrayLike<number>, window: number): void {
    for (let i = 0; i < ids.length; i++) {
      const a = ids[i];
      const end = Math.min(ids.length, i + window + 1);
      for (let j = i + 1; j < end; j++) this.add(a, ids[j], 1 / (j - i));
    }
  }

  /** Adds `weight` to the symmetric pair (a, b). */
  add(a: number, b: number, weight: number): void {
    const key = a < b ? (a << 16) | b : (b << 16) | a;
    const k = key >>> 0;
    const mask = this.keys.length - 1;
    let slot = Math.imul(k, 0x9e3779b1) >>> 0 & mask;
    for (;;) {
      const existing = this.keys[slot];
      if (existing === k) {
        this.values[slot] += weight;
        return;
      }
      if (existing === EMPTY) {
        this.keys[slot] = k;
        this.values[slot] = weight;
        if (++this.used * 10 > this.keys.length * 7) this.grow();
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The full symmetric matrix (both (a,b) and (b,a)) in CSR form, columns sorted. */
  toCsr(): CsrMatrix {
    const n = this.vocabularySize;
    const perRow = new Float64Array(n + 1);
    for (let s = 0; s < this.keys.length; s++) {
      const k = this.keys[s];
      if (k === EMPTY) continue;
      const a = k >>> 16;
      const b = k & 0xffff;
      perRow[a + 1]++;
      if (a !== b) perRow[b + 1]++;
    }
    for (let i = 0; i < n; i++) perRow[i + 1] += perRow[i];
    const nnz = perRow[n];
    const colIndex = new Uint32Array(nnz);
    const values = new Float32Array(nnz);
    const fill = perRow.slice(0, n);
    for (let s = 0; s < this.keys.length; s++) {
      const k = this.keys[s];
      if (k === EMPTY) continue;
      const a = k >>> 16;
      const b = k & 0xffff;
      const v = this.values[s];
      colIndex[fill[a]] = b;
      values[fill[a]++] = v;
      if (a !== b) {
        colIndex[fill[b]] = a;
        values[fill[b]++] = v;
      }
    }
    sortRows(perRow, colIndex, values, n);
    return { rows: n, cols: n, rowStart: perRow, colIndex, values };
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Uint32Array(oldKeys.length * 2).fill(EMPTY);
    this.values = new Float32Array(oldKeys.length * 2);
    this.used = 0;
    const mask = this.keys.length - 1;
    for (let s = 0; s < oldKeys.length; s++) {
      const k = oldKeys[s];
      if (k === EMPTY) continue;
      let slot = Math.imul(k, 0x9e3779b1) >>> 0 & mask;
      while (this.keys[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.keys[slot] = k;
      this.values[slot] = oldValues[s];
      this.used++;
    }
  }
}

// (0xffff, 0xffff) cannot occur: ids are below 65,535.
const EMPTY = 0xffffffff;

function sortRows(rowStart: Float64Array, colIndex: Uint32Array, values: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const start = rowStart[i];
    const end = rowStart[i + 1];
    const order = Array.from({ length: end - start }, (_, t) => start + t).sort((x, y) => colIndex[x] - colIndex[y]);
    const cols = order.map((p) => colIndex[p]);
    const vals = order.map((p) => values[p]);
    colIndex.set(cols, start);
    values.set(vals, start);
  }
}
