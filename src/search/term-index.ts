/**
 * An in-process BM25 index of titles and abstracts for long queries (a sentence, a pasted abstract).
 * FTS5 and PostgreSQL score every paper that shares any word with an OR query, which takes 50–500 ms
 * on 75k papers; summing BM25 over the query words' posting lists here takes a few milliseconds, and
 * ranks identically on both databases. Short queries, phrases and freshly imported papers stay with
 * the database's full-text index (keyword-index.ts); this index trails it by one background rebuild
 * (started when a search notices added, deleted or edited papers, at most every 10 s).
 *
 * Memory: 8 bytes per (paper, distinct word) pair — about 80 MB of heap for 75k papers.
 */
import type { Kysely } from 'kysely';
import { stemmer } from 'stemmer';
import type { Database } from '../db/schema.ts';
import { STOPWORDS, words } from './tokenize.ts';

/** BM25 parameters (the usual ones) and the weight of a title word relative to an abstract word. */
const K1 = 1.2;
const B = 0.75;
const TITLE_WEIGHT = 2;

/** A paper's score for a query: id and BM25 score. */
export interface TermHit {
  id: number;
  score: number;
}

/** Where a term occurs: rows (papers) and the BM25 term-frequency part of its score there, precomputed. */
interface Postings {
  rows: Int32Array;
  impacts: Float32Array;
}

const stems = new Map<string, string>();

/** The index terms of a text: content words, Porter-stemmed (the same algorithm as FTS5's `porter`). */
export function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (STOPWORDS.has(w)) continue;
    let s = stems.get(w);
    if (s === undefined) {
      s = stemmer(w);
      if (stems.size > 500_000) stems.clear();
      stems.set(w, s);
    }
    out.push(s);
  }
  return out;
}

/** A built, immutable index; `TermIndexHandle` replaces it when the papers change. */
export class TermIndex {
  private constructor(
    private ids: Int32Array,
    private postings: Map<string, Postings>,
    /** What the papers table looked like when it was read (see TermIndexHandle). */
    readonly fingerprint: string,
  ) {}

  /** How many papers are indexed. */
  get size(): number {
    return this.ids.length;
  }

  /** In how many papers a term occurs. */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.rows.length ?? 0;
  }

  /** Reads every paper's title and abstract and indexes them, yielding to the event loop between pages. */
  static async build(db: Kysely<Database>, fingerprint: string): Promise<TermIndex> {
    const ids: number[] = [];
    const lengths: number[] = [];
    const lists = new Map<string, number[]>();
    let after = 0;
    for (;;) {
      // Small pages: each is tokenized synchronously, and requests wait while it is.
      const page = await db.selectFrom('papers').select(['id', 'title', 'abstract']).where('id', '>', after).orderBy('id').limit(300).execute();
      for (const p of page) {
        const row = ids.length;
        const tf = new Map<string, number>();
        const title = indexTerms(p.title);
        const abstract = indexTerms(p.abstract);
        for (const t of title) tf.set(t, (tf.get(t) ?? 0) + TITLE_WEIGHT);
        for (const t of abstract) tf.set(t, (tf.get(t) ?? 0) + 1);
        for (const [t, w] of tf) {
          let list = lists.get(t);
          if (!list) lists.set(t, (list = []));
          list.push(row, w);
        }
        ids.push(p.id);
        lengths.push(TITLE_WEIGHT * title.length + abstract.length);
      }
      if (page.length < 300) break;
      after = page[page.length - 1].id;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const averageLength = lengths.length ? lengths.reduce((a, b) => a + b, 0) / lengths.length : 1;
    const postings = new Map<string, Postings>();
    for (const [t, list] of lists) {
      const n = list.length / 2;
      const rows = new Int32Array(n);
      const impacts = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const row = list[2 * i];
        const tf = list[2 * i + 1];
        rows[i] = row;
        impacts[i] = (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * lengths[row]) / averageLength));
      }
      postings.set(t, { rows, impacts });
    }
    return new TermIndex(Int32Array.from(ids), postings, fingerprint);
  }

  /**
   * The k papers with the best BM25 score for the query terms (each counted once however often it is
   * repeated), skipping terms in more than `maxDocumentShare` of the papers: their idf is below ln 2,
   * against 3–10 for telling words, and their long posting lists would be most of the work.
   */
  search(terms: string[], k: number, maxDocumentShare = 0.5): TermHit[] {
    const n = this.ids.length;
    if (n === 0 || k <= 0) return [];
    const scores = new Float32Array(n);
    const touched: number[] = [];
    for (const term of new Set(terms)) {
      const p = this.postings.get(term);
      if (!p || p.rows.length > maxDocumentShare * n) continue;
      const df = p.rows.length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const { rows, impacts } = p;
      for (let i = 0; i < df; i++) {
        const row = rows[i];
        if (scores[row] === 0) touched.push(row);
        scores[row] += idf * impacts[i];
      }
    }
    // A small heap would save a sort on huge candidate sets; sorting the touched rows is fast enough here.
    const best = touched.length > k * 8 ? selectTop(touched, scores, k) : touched.sort((a, b) => scores[b] - scores[a] || a - b).slice(0, k);
    return best.map((row) => ({ id: this.ids[row], score: scores[row] }));
  }
}

/** The k rows with the highest scores, best first (a threshold pass, then a sort of the survivors). */
function selectTop(rows: number[], scores: Float32Array, k: number): number[] {
  // Sample to find a score that roughly 4k rows beat, keep those, sort them.
  const sample: number[] = [];
  const step = Math.max(1, Math.floor(rows.length / 2048));
  for (let i = 0; i < rows.length; i += step) sample.push(scores[rows[i]]);
  sample.sort((a, b) => b - a);
  const cut = sample[Math.min(sample.length - 1, Math.ceil(((4 * k) / rows.length) * sample.length))];
  let kept = rows.filter((r) => scores[r] >= cut);
  if (kept.length < k) kept = rows;
  return kept.sort((a, b) => scores[b] - scores[a] || a - b).slice(0, k);
}

/**
 * The term index of one database, built in the background on first use and rebuilt when papers are
 * added or changed (checked at most every `checkIntervalMs`). `current()` never waits: it answers
 * with the index it has, or undefined while the first one is being built.
 */
export class TermIndexHandle {
  private index: TermIndex | undefined;
  private building: Promise<void> | undefined;
  private checkedAt = 0;

  constructor(
    private db: Kysely<Database>,
    private checkIntervalMs = 10_000,
  ) {}

  /** The index as it is now; starts a build or a freshness check when due. */
  current(): TermIndex | undefined {
    if (!this.building && Date.now() - this.checkedAt >= this.checkIntervalMs) {
      this.checkedAt = Date.now();
      this.building = this.refresh()
        .catch((err) => console.error(`search: term index: ${(err as Error).message}`))
        .finally(() => (this.building = undefined));
    }
    return this.index;
  }

  /** Resolves once the index reflects the papers as they are now (tests, benchmarks, warm-up). */
  async ready(): Promise<TermIndex> {
    this.checkedAt = 0;
    this.current();
    while (this.building) await this.building;
    return this.index!;
  }

  private async refresh(): Promise<void> {
    const fingerprint = await this.fingerprint();
    if (this.index?.fingerprint === fingerprint) return;
    this.index = await TermIndex.build(this.db, fingerprint);
  }

  /**
   * Paper count, highest id and the sum of text revisions: an added paper moves the highest id, a
   * deleted one the count, and an edited title or abstract the sum (a revision only grows). All three
   * come from one pass over the small `papers_text_revision` index, not the wide paper rows; the latest
   * `modified_at` would also move on upvotes, rebuilding the index for nothing.
   */
  private async fingerprint(): Promise<string> {
    const row = await this.db
      .selectFrom('papers')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('maxId'), eb.fn.sum<number>('text_revision').as('revisions')])
      .executeTakeFirstOrThrow();
    return `${row.n}/${row.maxId}/${row.revisions ?? 0}`;
  }
}

const handles = new WeakMap<object, TermIndexHandle>();

/** The term index handle of a database connection. */
export function termIndexFor(db: Kysely<Database>): TermIndexHandle {
  let handle = handles.get(db);
  if (!handle) handles.set(db, (handle = new TermIndexHandle(db)));
  return handle;
}
