/**
 * Builds a term-index snapshot (snapshot.ts) from papers: BM25F impacts per (term, paper) over the title,
 * abstract and author fields, and the surface vocabulary spelling suggestions draw on. Runs in a worker
 * thread (worker.ts): a build of 75k papers is seconds of CPU that requests must not wait behind.
 */
import { STOPWORDS, words } from '../tokenize.ts';
import { fieldTerms, type KnownCompounds } from './analyze.ts';
import { type Bm25fParams, buildTable, packStrings, type Sections, type SnapshotHeader, writeSnapshot } from './snapshot.ts';

/** One paper's text as the index reads it. */
export interface TermDoc {
  id: number;
  title: string;
  abstract: string;
  authors: string;
}

/**
 * BM25F as tuned on Paperboy's evaluation set by coordinate descent (scripts/tune-bm25.ts, figures in
 * docs/benchmarks.md, "Search"): a title word counts one and a half abstract words, an author name half.
 */
export const DEFAULT_PARAMS: Bm25fParams = {
  k1: 1.2,
  fields: { title: { weight: 1.5, b: 0.75 }, abstract: { weight: 1, b: 0.75 }, authors: { weight: 0.5, b: 0.75 } },
};

const FIELDS = ['title', 'abstract', 'authors'] as const;
// Term frequencies per field, packed in one number: title 8 bits, abstract 12 bits, authors 8 bits.
const pack = (t: number, a: number, au: number) => Math.min(t, 255) | (Math.min(a, 4095) << 8) | (Math.min(au, 255) << 20);
/** Surface words worth suggesting: seen in at least this many papers. */
const MIN_VOCAB_DF = 2;

/** Accumulates papers (in ascending id order) and writes the snapshot. */
export class SnapshotBuilder {
  private readonly ids: number[] = [];
  private readonly lengths: Record<(typeof FIELDS)[number], number[]> = { title: [], abstract: [], authors: [] };
  private readonly lists = new Map<string, number[]>();
  private readonly vocab = new Map<string, number>();

  /**
   * `knownCompounds`: the store's compounds (collected from every paper in a first pass), which are also
   * indexed where a paper writes them as separate words (analyze.ts).
   */
  constructor(
    private readonly params: Bm25fParams = DEFAULT_PARAMS,
    private readonly knownCompounds?: KnownCompounds,
  ) {}

  /** Adds one paper. */
  add(doc: TermDoc): void {
    const row = this.ids.length;
    this.ids.push(doc.id);
    const tf = new Map<string, [number, number, number]>();
    FIELDS.forEach((field, f) => {
      const terms = fieldTerms(doc[field], this.knownCompounds);
      this.lengths[field].push(terms.length);
      for (const t of terms) {
        let counts = tf.get(t);
        if (!counts) tf.set(t, (counts = [0, 0, 0]));
        counts[f]++;
      }
    });
    for (const [t, [a, b, c]] of tf) {
      let list = this.lists.get(t);
      if (!list) this.lists.set(t, (list = []));
      list.push(row, pack(a, b, c));
    }
    for (const w of new Set(words(`${doc.title} ${doc.abstract}`))) {
      if (w.length >= 3 && !STOPWORDS.has(w)) this.vocab.set(w, (this.vocab.get(w) ?? 0) + 1);
    }
  }

  /** The snapshot of everything added. */
  finish(fingerprint: string, now = new Date()): Buffer {
    const docs = this.ids.length;
    const average = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 1) || 1;
    const averageLengths = { title: average(this.lengths.title), abstract: average(this.lengths.abstract), authors: average(this.lengths.authors) };
    // Every known compound has its spaced term, papers or none: "no paper writes it apart" is then an answer.
    for (const term of this.knownCompounds?.terms ?? []) if (!this.lists.has(term)) this.lists.set(term, []);
    const terms = [...this.lists.keys()];
    const postings = terms.reduce((n, t) => n + this.lists.get(t)!.length / 2, 0);
    const postingOffsets = new Int32Array(terms.length + 1);
    const rows = new Int32Array(postings);
    const impacts = new Float32Array(postings);
    const { k1, fields } = this.params;
    // Per field, the length-normalized weight of one occurrence in each row, computed once.
    const unit = FIELDS.map((field) => {
      const { weight, b } = fields[field];
      return Float32Array.from(this.lengths[field], (len) => weight / (1 - b + (b * len) / averageLengths[field]));
    });
    let at = 0;
    terms.forEach((t, i) => {
      const list = this.lists.get(t)!;
      for (let j = 0; j < list.length; j += 2) {
        const row = list[j];
        const packed = list[j + 1];
        const ptf = (packed & 255) * unit[0][row] + ((packed >>> 8) & 4095) * unit[1][row] + ((packed >>> 20) & 255) * unit[2][row];
        rows[at] = row;
        impacts[at] = (ptf * (k1 + 1)) / (ptf + k1);
        at++;
      }
      postingOffsets[i + 1] = at;
    });
    const packedTerms = packStrings(terms);
    const vocabWords = [...this.vocab].filter(([, df]) => df >= MIN_VOCAB_DF);
    const packedVocab = packStrings(vocabWords.map(([w]) => w));
    const sections: Sections = {
      ids: Int32Array.from(this.ids),
      termOffsets: packedTerms.offsets,
      termBytes: packedTerms.bytes,
      termTable: buildTable(packedTerms.bytes, packedTerms.offsets),
      postingOffsets,
      rows,
      impacts,
      vocabOffsets: packedVocab.offsets,
      vocabBytes: packedVocab.bytes,
      vocabTable: buildTable(packedVocab.bytes, packedVocab.offsets),
      vocabDf: Int32Array.from(vocabWords, ([, df]) => df),
    };
    const header: SnapshotHeader = {
      fingerprint,
      params: this.params,
      builtAt: now.toISOString(),
      docs,
      terms: terms.length,
      postings,
      vocab: vocabWords.length,
      averageLengths,
    };
    return writeSnapshot(header, sections);
  }
}
