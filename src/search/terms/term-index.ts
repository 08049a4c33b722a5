/**
 * The in-process term index: BM25F over titles, abstracts and authors, read in place from a snapshot
 * (snapshot.ts). It answers what the databases' full-text indexes answer slowly: a short query's papers
 * with every word, counted and ranked (FTS5 scores all of a common word's 60,000 papers to rank them), a
 * long query ranked by any word, and what spelling suggestions need — which words the store has, how often.
 * The same on SQLite and PostgreSQL.
 */
import { TopK } from '../top-k.ts';
import { lookup, readSnapshot, type Sections, type SnapshotHeader } from './snapshot.ts';

/** A paper's score for a query: id and BM25F score. */
export interface TermHit {
  id: number;
  score: number;
}

/** Options of a query that needs every term. */
export interface AllTermsOptions {
  k: number;
  /** Papers must also pass this test (a filter already reduced to a set of ids). */
  accept?: (paperId: number) => boolean;
  /** Papers with any of these terms are left out. */
  exclude?: string[];
  /** Terms that add to a paper's score where it has them, without being needed (analyze.ts#agentNoun). */
  prefer?: string[];
}

/** Postings of one clause: rows ascending in `rows[start..end)`, with their impacts, and the clause's idf. */
interface PostingList {
  rows: Int32Array;
  impacts: Float32Array;
  start: number;
  end: number;
  idf: number;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The first position at or after `from` (below `end`) whose row is not below `row`: double the step until
 * past it, then binary-search back — work in the log of the distance, for cursors that only move forward.
 */
function gallop(rows: Int32Array, from: number, end: number, row: number): number {
  let step = 1;
  while (from + step < end && rows[from + step] < row) step *= 2;
  let lo = from;
  let hi = Math.min(from + step, end - 1);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid] < row) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A loaded term index. */
export class TermIndex {
  readonly header: SnapshotHeader;
  private readonly s: Sections;
  /** `any`'s score accumulator. */
  private scratch: Float32Array | undefined;

  private constructor(snapshot: { header: SnapshotHeader; sections: Sections }) {
    this.header = snapshot.header;
    this.s = snapshot.sections;
  }

  /** Reads a snapshot (views into `buffer`, which must stay unchanged). */
  static fromBuffer(buffer: Buffer): TermIndex {
    return new TermIndex(readSnapshot(buffer));
  }

  /** What the papers looked like when the index was built (see handle.ts). */
  get fingerprint(): string {
    return this.header.fingerprint;
  }

  /** How many papers are indexed. */
  get size(): number {
    return this.s.ids.length;
  }

  /** The highest paper id indexed (papers with higher ids were added since the build). */
  get maxId(): number {
    return this.s.ids.length ? this.s.ids[this.s.ids.length - 1] : 0;
  }

  private termNumber(term: string): number {
    return lookup(this.s.termTable, this.s.termBytes, this.s.termOffsets, term);
  }

  /** Whether the index has a term (possibly in no paper: a known compound nobody writes apart). */
  hasTerm(term: string): boolean {
    return this.termNumber(term) >= 0;
  }

  /** In how many papers a term (a stem) occurs. */
  documentFrequency(term: string): number {
    const i = this.termNumber(term);
    return i < 0 ? 0 : this.s.postingOffsets[i + 1] - this.s.postingOffsets[i];
  }

  private idf(df: number): number {
    const n = this.size;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private range(term: string): { start: number; end: number; idf: number } | undefined {
    const i = this.termNumber(term);
    if (i < 0) return undefined;
    const start = this.s.postingOffsets[i];
    const end = this.s.postingOffsets[i + 1];
    return { start, end, idf: this.idf(end - start) };
  }

  /** Rows holding a term, for exclusions. */
  private rowSet(terms: string[]): Set<number> {
    const out = new Set<number>();
    for (const t of terms) {
      const r = this.range(t);
      if (r) for (let p = r.start; p < r.end; p++) out.add(this.s.rows[p]);
    }
    return out;
  }

  /**
   * A clause's posting list: one term's, or the union of several spellings' (a paper counted once, at its
   * best impact). Undefined when no spelling is a term here.
   */
  private postings(clause: string | string[]): PostingList | undefined {
    const { rows, impacts } = this.s;
    if (typeof clause === 'string') {
      const r = this.range(clause);
      return r && { rows, impacts, ...r };
    }
    const ranges = clause.map((t) => this.range(t)).filter((r) => r !== undefined);
    if (ranges.length === 0) return undefined;
    if (ranges.length === 1) return { rows, impacts, ...ranges[0] };
    const best = new Map<number, number>();
    for (const r of ranges) for (let p = r.start; p < r.end; p++) best.set(rows[p], Math.max(best.get(rows[p]) ?? 0, impacts[p]));
    const union = Int32Array.from(best.keys()).sort();
    return { rows: union, impacts: Float32Array.from(union, (row) => best.get(row)!), start: 0, end: union.length, idf: this.idf(union.length) };
  }

  /**
   * The papers with every clause (a term, or any of several spellings of one, see `postings`), each counted
   * once, best first, and how many there are in all: the shortest posting list drives and the others are
   * searched by galloping, so the work is about the rarest clause's papers times the log of the others'.
   */
  all(clauses: (string | string[])[], options: AllTermsOptions): { hits: TermHit[]; total: number } {
    const unique = [...new Map(clauses.map((c) => [String(c), c])).values()];
    const found = unique.map((c) => this.postings(c));
    if (unique.length === 0 || found.some((l) => !l)) return { hits: [], total: 0 };
    const lists = (found as PostingList[]).sort((a, b) => a.end - a.start - (b.end - b.start));
    const { ids } = this.s;
    const excluded = options.exclude?.length ? this.rowSet(options.exclude) : undefined;
    const cursors = lists.map((l) => l.start);
    const preferred = (options.prefer ?? []).map((t) => this.postings(t)).filter((l) => l !== undefined);
    const preferCursors = preferred.map((l) => l.start);
    const top = new TopK(options.k);
    let total = 0;
    const [driver, ...others] = lists;
    outer: for (let p = driver.start; p < driver.end; p++) {
      const row = driver.rows[p];
      let score = driver.idf * driver.impacts[p];
      for (let j = 0; j < others.length; j++) {
        const l = others[j];
        const rows = l.rows;
        const c = (cursors[j + 1] = gallop(rows, cursors[j + 1], l.end, row));
        if (c >= l.end || rows[c] !== row) {
          if (c >= l.end || rows[l.end - 1] < row) break outer;
          continue outer;
        }
        score += l.idf * l.impacts[c];
      }
      if (excluded?.has(row)) continue;
      if (options.accept && !options.accept(ids[row])) continue;
      total++;
      for (let j = 0; j < preferred.length; j++) {
        const l = preferred[j];
        const c = (preferCursors[j] = gallop(l.rows, preferCursors[j], l.end, row));
        if (c < l.end && l.rows[c] === row) score += l.idf * l.impacts[c];
      }
      if (score > top.floor) top.push(row, score);
    }
    return { hits: top.sorted().map((h) => ({ id: ids[h.item], score: h.score })), total };
  }

  /**
   * The k papers with the best score for any of the terms (each counted once), skipping terms in more than
   * `maxDocumentShare` of the papers: their idf is below ln 2, against 3–10 for telling words, and their
   * long posting lists would be most of the work. For long queries (a sentence, a pasted abstract).
   */
  any(terms: string[], k: number, maxDocumentShare = 0.5): TermHit[] {
    const n = this.size;
    if (n === 0 || k <= 0) return [];
    // One score per paper, kept between queries (zeroed again below): allocating and clearing 75k floats per query cost more than scoring.
    const scores = (this.scratch ??= new Float32Array(n));
    const touched: number[] = [];
    const { rows, impacts, ids } = this.s;
    for (const term of new Set(terms)) {
      const r = this.range(term);
      if (!r || r.end - r.start > maxDocumentShare * n) continue;
      for (let p = r.start; p < r.end; p++) {
        const row = rows[p];
        if (scores[row] === 0) touched.push(row);
        scores[row] += r.idf * impacts[p];
      }
    }
    const top = new TopK(k);
    for (const row of touched) {
      if (scores[row] > top.floor) top.push(row, scores[row]);
      scores[row] = 0;
    }
    return top.sorted().map((h) => ({ id: ids[h.item], score: h.score }));
  }

  /** In how many papers a surface word (folded, not stemmed) occurs; 0 for words seen fewer than twice. */
  wordFrequency(word: string): number {
    const i = lookup(this.s.vocabTable, this.s.vocabBytes, this.s.vocabOffsets, word);
    return i < 0 ? 0 : this.s.vocabDf[i];
  }

  /**
   * The most frequent store word one edit away (a letter deleted, inserted, replaced, or two swapped), if
   * it occurs in at least `minFrequency` papers: "trasnformer" → "transformer".
   */
  correction(word: string, minFrequency = 3): { word: string; frequency: number } | undefined {
    let best: { word: string; frequency: number } | undefined;
    const consider = (candidate: string) => {
      if (candidate === word || candidate.length < 3) return;
      const frequency = this.wordFrequency(candidate);
      if (frequency >= minFrequency && (!best || frequency > best.frequency)) best = { word: candidate, frequency };
    };
    for (let i = 0; i <= word.length; i++) {
      const head = word.slice(0, i);
      const tail = word.slice(i);
      if (tail) consider(head + tail.slice(1));
      if (tail.length > 1) consider(head + tail[1] + tail[0] + tail.slice(2));
      for (const ch of ALPHABET) {
        if (tail) consider(head + ch + tail.slice(1));
        consider(head + ch + tail);
      }
    }
    return best;
  }

  /** Two store words a run-together word is made of ("selfsupervised" → self, supervised), the most frequent split. */
  split(word: string, minFrequency = 5): [string, string] | undefined {
    let best: { parts: [string, string]; frequency: number } | undefined;
    for (let i = 2; i <= word.length - 2; i++) {
      const a = word.slice(0, i);
      const b = word.slice(i);
      const frequency = Math.min(this.wordFrequency(a), this.wordFrequency(b));
      if (frequency >= minFrequency && (!best || frequency > best.frequency)) best = { parts: [a, b], frequency };
    }
    return best?.parts;
  }
}
