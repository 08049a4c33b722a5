/**
 * Builds a term-index snapshot (snapshot.ts) from papers: BM25F impacts per (term, paper) over the title,
 * abstract and author fields, and the surface vocabulary spelling suggestions draw on. Runs in a worker
 * thread (worker.ts): a build of 75k papers is seconds of CPU that requests must not wait behind.
 *
 * The terms are analyze.ts#fieldTerms's; how they are found is laid out for speed (the build took 46–82 s
 * at 75k papers when every text was read and folded twice and each word looked up in several maps of
 * strings): each text is folded and split once, as `add` receives it; each distinct word is looked up in
 * one map and becomes a number that carries its stem, its agent noun and the known compounds it starts;
 * `finish` counts terms over those numbers in typed arrays — the compounds a paper spells apart can only
 * be found there, once every paper's compounds are known.
 */
import { fold, STOPWORDS } from '../tokenize.ts';
import { agentNoun, COMPOUND, MAX_COMPOUND, MAX_SPACED_WORDS, SPACED, stem } from './analyze.ts';
import { IntList } from './int-list.ts';
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

/** A known compound's trie node, keyed by word numbers (see `SnapshotBuilder`). */
interface CompoundNode {
  next?: Map<number, CompoundNode>;
  /** Set where a known compound ends: its spaced term's number. */
  term?: number;
}

const WORD = /[\p{L}\p{N}]+/gu;
const SEPARATOR = /[^\p{L}\p{N}]+/u;
const NOT_WORD = /[^\p{L}\p{N}]/gu;
// A text with none of these has no compound: most titles and author lists skip the compound pattern.
const JOINER = /[-\u2010\u2011\u2012\u2013/]/;

/** Builder options. */
export interface BuilderOptions {
  /**
   * Index the store's compounds also where a paper writes them as separate words (analyze.ts, "spaced
   * compounds"; default true, as the server's index does).
   */
  spacedCompounds?: boolean;
}

/** Accumulates papers (in ascending id order) and writes the snapshot. */
export class SnapshotBuilder {
  private readonly ids: number[] = [];
  private readonly spaced: boolean;
  // Terms by number.
  private readonly termNumbers = new Map<string, number>();
  private readonly termNames: string[] = [];
  // Distinct folded words by number, and per word: its stem's term (-1: a stopword), its agent noun's
  // term (-1: none), whether it counts for the vocabulary, and the compound it may start.
  private readonly wordNumbers = new Map<string, number>();
  private readonly wordNames: string[] = [];
  private readonly wordStem = new IntList();
  private readonly wordAgent = new IntList();
  private readonly wordInVocab: boolean[] = [];
  private readonly compoundRoots: (CompoundNode | undefined)[] = [];
  /** Compounds as written → their run-together term (-1: too long). */
  private readonly compounds = new Map<string, number>();
  // Every paper's words as numbers, field after field, and the run-together compounds' terms; where each
  // (row, field) starts in them.
  private readonly tokens = new IntList(1 << 20);
  private readonly tokenStarts = new IntList();
  private readonly joined = new IntList();
  private readonly joinedStarts = new IntList();
  // Per word: the papers (title or abstract) it occurs in, and the last row counted.
  private readonly vocabDf = new IntList();
  private readonly vocabSeen = new IntList();

  constructor(
    private readonly params: Bm25fParams = DEFAULT_PARAMS,
    options: BuilderOptions = {},
  ) {
    this.spaced = options.spacedCompounds ?? true;
    this.tokenStarts.push(0);
    this.joinedStarts.push(0);
  }

  private term(name: string): number {
    let n = this.termNumbers.get(name);
    if (n === undefined) {
      n = this.termNames.length;
      this.termNumbers.set(name, n);
      this.termNames.push(name);
    }
    return n;
  }

  private word(w: string): number {
    let n = this.wordNumbers.get(w);
    if (n === undefined) {
      n = this.wordNames.length;
      this.wordNumbers.set(w, n);
      this.wordNames.push(w);
      const stop = STOPWORDS.has(w);
      this.wordStem.push(stop ? -1 : this.term(stem(w)));
      const noun = agentNoun(w);
      this.wordAgent.push(noun ? this.term(noun) : -1);
      this.wordInVocab.push(w.length >= 3 && !stop);
      this.vocabDf.push(0);
      this.vocabSeen.push(-1);
    }
    return n;
  }

  /** Adds one paper. */
  add(doc: TermDoc): void {
    const row = this.ids.length;
    this.ids.push(doc.id);
    for (const field of FIELDS) {
      const folded = fold(doc[field]);
      const ws = folded.match(WORD) ?? [];
      for (const w of ws) {
        const n = this.word(w);
        this.tokens.push(n);
        // The vocabulary counts the papers whose title or abstract has the word.
        if (field !== 'authors' && this.wordInVocab[n] && this.vocabSeen.at(n) !== row) {
          this.vocabSeen.set(n, row);
          this.vocabDf.set(n, this.vocabDf.at(n) + 1);
        }
      }
      if (JOINER.test(folded)) for (const m of folded.matchAll(COMPOUND)) this.compound(m[0]);
      this.tokenStarts.push(this.tokens.length);
      this.joinedStarts.push(this.joined.length);
    }
  }

  /**
   * A compound as written: its run-together term (analyze.ts#compounds), and a known compound
   * (KnownCompounds#addFrom) — worked out once per spelling, as the same compounds recur in thousands of papers.
   */
  private compound(written: string): void {
    let together = this.compounds.get(written);
    if (together === undefined) {
      const joinedWord = written.replace(NOT_WORD, '');
      together = joinedWord.length <= MAX_COMPOUND ? this.term(stem(joinedWord)) : -1;
      this.compounds.set(written, together);
      if (this.spaced) this.knowCompound(written);
    }
    if (together >= 0) this.joined.push(together);
  }

  private knowCompound(written: string): void {
    const parts = written.split(SEPARATOR);
    if (parts.length > MAX_SPACED_WORDS || written.length > MAX_COMPOUND) return;
    const first = this.wordNumbers.get(parts[0])!;
    let node = (this.compoundRoots[first] ??= {});
    for (let i = 1; i < parts.length; i++) {
      const n = this.wordNumbers.get(parts[i])!;
      const next = (node.next ??= new Map());
      let child = next.get(n);
      if (!child) next.set(n, (child = {}));
      node = child;
    }
    node.term ??= this.term(SPACED + stem(parts.join('')));
  }

  /** The snapshot of everything added. */
  finish(fingerprint: string, now = new Date()): Buffer {
    const docs = this.ids.length;
    const terms = this.termNames.length;
    const { wordStem, wordAgent, compoundRoots, tokens, tokenStarts, joined, joinedStarts } = this;
    const lengths = FIELDS.map(() => new Int32Array(docs));
    // Per paper, its terms' frequencies per field (stamp: the row they belong to), then its postings.
    const stamp = new Int32Array(terms).fill(-1);
    const counts = new Int32Array(terms * 3);
    const inPaper: number[] = [];
    const postTerm = new IntList(1 << 20);
    const postRow = new IntList(1 << 20);
    const postTf = new IntList(1 << 20);
    let row = 0;
    let f = 0;
    let count = 0;
    const bump = (t: number) => {
      if (stamp[t] !== row) {
        stamp[t] = row;
        counts[t * 3] = counts[t * 3 + 1] = counts[t * 3 + 2] = 0;
        inPaper.push(t);
      }
      counts[t * 3 + f]++;
      count++;
    };
    for (row = 0; row < docs; row++) {
      inPaper.length = 0;
      for (f = 0; f < 3; f++) {
        const at = row * 3 + f;
        const start = tokenStarts.at(at);
        const end = tokenStarts.at(at + 1);
        count = 0;
        // In analyze.ts#fieldTerms's order of kinds: words, agent nouns, run-together compounds, spaced ones.
        for (let i = start; i < end; i++) if (wordStem.at(tokens.at(i)) >= 0) bump(wordStem.at(tokens.at(i)));
        for (let i = start; i < end; i++) if (wordAgent.at(tokens.at(i)) >= 0) bump(wordAgent.at(tokens.at(i)));
        for (let i = joinedStarts.at(at); i < joinedStarts.at(at + 1); i++) bump(joined.at(i));
        if (this.spaced) {
          for (let i = start; i < end - 1; i++) {
            let node = compoundRoots[tokens.at(i)];
            for (let k = i + 1; node?.next && k < end && k < i + MAX_SPACED_WORDS; k++) {
              node = node.next.get(tokens.at(k));
              if (node?.term !== undefined) bump(node.term);
            }
          }
        }
        lengths[f][row] = count;
      }
      for (const t of inPaper) {
        postTerm.push(t);
        postRow.push(row);
        postTf.push(pack(counts[t * 3], counts[t * 3 + 1], counts[t * 3 + 2]));
      }
    }
    const average = (xs: Int32Array) => {
      let sum = 0;
      for (const x of xs) sum += x;
      return (xs.length ? sum / xs.length : 1) || 1;
    };
    const averageLengths = { title: average(lengths[0]), abstract: average(lengths[1]), authors: average(lengths[2]) };
    // Postings grouped by term (a counting sort: stable, so each term's rows stay ascending).
    const postings = postTerm.length;
    const postingOffsets = new Int32Array(terms + 1);
    for (let p = 0; p < postings; p++) postingOffsets[postTerm.at(p) + 1]++;
    for (let t = 0; t < terms; t++) postingOffsets[t + 1] += postingOffsets[t];
    const next = postingOffsets.slice(0, terms);
    const rows = new Int32Array(postings);
    const impacts = new Float32Array(postings);
    const { k1, fields } = this.params;
    // Per field, the length-normalized weight of one occurrence in each row, computed once.
    const unit = FIELDS.map((field, i) => {
      const { weight, b } = fields[field];
      return Float32Array.from(lengths[i], (len) => weight / (1 - b + (b * len) / averageLengths[field]));
    });
    for (let p = 0; p < postings; p++) {
      const r = postRow.at(p);
      const packed = postTf.at(p);
      const ptf = (packed & 255) * unit[0][r] + ((packed >>> 8) & 4095) * unit[1][r] + ((packed >>> 20) & 255) * unit[2][r];
      const at = next[postTerm.at(p)]++;
      rows[at] = r;
      impacts[at] = (ptf * (k1 + 1)) / (ptf + k1);
    }
    const packedTerms = packStrings(this.termNames);
    const vocabWords: string[] = [];
    const vocabCounts: number[] = [];
    this.wordNames.forEach((w, n) => {
      const df = this.vocabDf.at(n);
      if (df >= MIN_VOCAB_DF) vocabWords.push(w), vocabCounts.push(df);
    });
    const packedVocab = packStrings(vocabWords);
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
      vocabDf: Int32Array.from(vocabCounts),
    };
    const header: SnapshotHeader = { fingerprint, params: this.params, builtAt: now.toISOString(), docs, terms, postings, vocab: vocabWords.length, averageLengths };
    return writeSnapshot(header, sections);
  }
}
