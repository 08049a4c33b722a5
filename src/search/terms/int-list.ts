/**
 * A growable list of 32-bit integers in one typed array: what the term-index builder keeps its tokens and
 * postings in (tens of millions of numbers), where JavaScript arrays of arrays cost a garbage collector's
 * walk over every element and a pointer per list.
 */
export class IntList {
  private data: Int32Array;
  /** How many numbers the list holds. */
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }

  /** Appends one number. */
  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  /** The number at `i` (no bounds check: callers stay below `length`). */
  at(i: number): number {
    return this.data[i];
  }

  /** Sets the number at `i`, growing the list (with zeros) to hold it. */
  set(i: number, value: number): void {
    if (i >= this.data.length) this.grow(i + 1);
    if (i >= this.length) this.length = i + 1;
    this.data[i] = value;
  }

  /** The backing array's first `length` numbers (a view: valid until the next push). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }

  private grow(needed: number): void {
    let size = this.data.length * 2;
    while (size < needed) size *= 2;
    const next = new Int32Array(size);
    next.set(this.data);
    this.data = next;
  }
}
