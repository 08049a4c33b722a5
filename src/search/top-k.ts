/** The k best (item, score) pairs seen: a min-heap on score. */
export class TopK {
  private scores: Float64Array;
  private items: Int32Array;
  size = 0;
  constructor(private k: number) {
    this.scores = new Float64Array(k);
    this.items = new Int32Array(k);
  }
  /** The score a candidate must beat once full. */
  get floor(): number {
    return this.size < this.k ? -Infinity : this.scores[0];
  }
  push(item: number, score: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.scores[parent] <= score) break;
        this.scores[i] = this.scores[parent];
        this.items[i] = this.items[parent];
        i = parent;
      }
      this.scores[i] = score;
      this.items[i] = item;
    } else if (score > this.scores[0]) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= this.k) break;
        const c = l + 1 < this.k && this.scores[l + 1] < this.scores[l] ? l + 1 : l;
        if (this.scores[c] >= score) break;
        this.scores[i] = this.scores[c];
        this.items[i] = this.items[c];
        i = c;
      }
      this.scores[i] = score;
      this.items[i] = item;
    }
  }
  /** Best first. */
  sorted(): { item: number; score: number }[] {
    const out = [];
    for (let i = 0; i < this.size; i++) out.push({ item: this.items[i], score: this.scores[i] });
    return out.sort((a, b) => b.score - a.score || a.item - b.item);
  }
}
