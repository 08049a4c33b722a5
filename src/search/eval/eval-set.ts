/**
 * Builds a search evaluation set from a paper corpus alone, with no human labels, the same on every
 * run for a given seed. Three query types:
 *
 * - `title`: a paper's title is the query, the paper is the one relevant answer (known-item search).
 * - `describe`: the first sentence of the abstract, *held out* — the stored abstract of that paper
 *   loses the sentence (the inverse cloze task of Lee et al., 2019) — and stripped of every word that
 *   also occurs in the title. The query therefore shares no sentence with the document and none of
 *   its most telling (title) words; it must be matched through the topic the rest of the abstract
 *   describes in other words, which is what a user describing a paper from memory gives a search box.
 *   Shuffling words would only hurt order-aware models, and synonym replacement from co-occurrence
 *   statistics mostly swaps in co-hyponyms ("image" → "video") that change the meaning, so neither is done.
 * - `coauthor`: a paper's title is the query; the other papers sharing at least two authors are the
 *   (weak, graded) relevant answers — 2 shared authors grade 1, 3 grade 2, 4 or more grade 3 — and the
 *   paper itself is excluded from the ranking. A "related work by the same group" task.
 */
import { normalizeAuthorName } from '../../papers/normalize.ts';
import { randomInt, seededRandom, shuffledIndexes } from './random.ts';

/** The part of a corpus paper the evaluation set is built from. */
export interface CorpusPaper {
  /** The paper's id in the corpus (an arXiv id for the arXiv corpus). */
  id: string;
  title: string;
  abstract: string;
  authors: string[];
}

/** The query types of the evaluation set. */
export const QUERY_TYPES = ['title', 'describe', 'coauthor'] as const;
/** One of QUERY_TYPES. */
export type QueryType = (typeof QUERY_TYPES)[number];

/** One labelled query: its text, graded relevant corpus ids, and ids to drop from the ranking. */
export interface EvalQuery {
  id: string;
  type: QueryType;
  text: string;
  relevant: Map<string, number>;
  exclude?: string[];
}

/** The queries, plus the abstracts to store in place of the original ones (the held-out sentences removed). */
export interface EvalSet {
  queries: EvalQuery[];
  heldOutAbstracts: Map<string, string>;
}

/** How an evaluation set is drawn. */
export interface EvalSetOptions {
  seed: number;
  /** Queries per type. */
  perType: number;
  /** Which papers may give a query (default all), e.g. only those an embedder was not trained on. */
  eligible?: (id: string) => boolean;
}

// Function words a user's query would also hold; not counted as content and never removed.
const STOPWORDS = new Set(
  ('a about above after again against all also an and any are as at be been being between both but by can could did do does ' +
    'doing down during each few for from further had has have having here how however if in into is it its itself may more most ' +
    'much must no nor not of off often on once only or other our ours out over own same should so some such than that the their ' +
    'theirs them then there these they this those through thus to too towards under until up upon us very via was we were what ' +
    'when where which while who whom why will with within without would yet you your using based new paper propose proposed ' +
    'present approach method methods work study').split(' '),
);

const ABBREVIATIONS = /(?:\b(?:e\.g|i\.e|et al|vs|etc|cf|fig|figs|eq|eqs|sec|approx|resp|no|ref|refs|al)|\b[A-Za-z])$/i;

/** Splits an abstract into its first sentence and the rest, or undefined when it is a single sentence. */
export function splitFirstSentence(abstract: string): { first: string; rest: string } | undefined {
  const text = abstract.replace(/\s+/g, ' ').trim();
  // A sentence ends at . ! or ? followed by a capital and a lower-case letter (arXiv's line joins
  // sometimes drop the space: "understanding.However"), unless the dot ends an abbreviation.
  const boundary = /([.!?])\s*(?=[A-Z][a-z])/g;
  for (let m = boundary.exec(text); m; m = boundary.exec(text)) {
    const before = text.slice(0, m.index);
    if (m[1] === '.' && ABBREVIATIONS.test(before)) continue;
    const first = text.slice(0, m.index + 1).trim();
    const rest = text.slice(m.index + m[0].length).trim();
    return rest ? { first, rest } : undefined;
  }
  return undefined;
}

/** The words of a text in order, as written (letters, digits and inner hyphens). */
export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*/gu) ?? [];
}

/** A crude English stem (case, plural and common verb endings folded), enough to tell "models" is "model". */
export function crudeStem(word: string): string {
  const w = word.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  if (w.length <= 4) return w;
  return w.replace(/(?:ies)$/, 'y').replace(/(?:ing|ed|es|s|ly|al|ation|ations)$/, '') || w;
}

/** True for a word that carries topic (not a function word, not a bare number). */
export function isContentWord(word: string): boolean {
  return !STOPWORDS.has(word.toLowerCase()) && /\p{L}/u.test(word) && word.length > 1;
}

/** The `describe` query of a paper: its first sentence without title words; undefined when too little is left. */
export function describeQuery(paper: CorpusPaper): { query: string; heldOutAbstract: string } | undefined {
  const split = splitFirstSentence(paper.abstract);
  if (!split || words(split.rest).length < 40) return undefined;
  // Hyphenated title words count by their parts too ("Industrial-Grade" removes "industrial").
  const titleStems = new Set(words(paper.title).flatMap((w) => [w, ...w.split('-')]).filter(isContentWord).map(crudeStem));
  const kept = words(split.first).filter((w) => !titleStems.has(crudeStem(w)) && !w.split('-').some((p) => titleStems.has(crudeStem(p))));
  if (kept.filter(isContentWord).length < 6) return undefined;
  return { query: kept.join(' '), heldOutAbstract: split.rest };
}

/** Other papers sharing at least two authors with paper `index`, graded by how many they share. */
export function coauthorNeighbours(papers: readonly CorpusPaper[], byAuthor: ReadonlyMap<string, number[]>, index: number): Map<string, number> {
  const shared = new Map<number, number>();
  for (const name of new Set(papers[index].authors.map(normalizeAuthorName))) {
    for (const other of byAuthor.get(name) ?? []) if (other !== index) shared.set(other, (shared.get(other) ?? 0) + 1);
  }
  const relevant = new Map<string, number>();
  for (const [other, count] of shared) if (count >= 2) relevant.set(papers[other].id, Math.min(count, 4) - 1);
  return relevant;
}

/** Papers by author, keyed on the normalized name. */
export function papersByAuthor(papers: readonly CorpusPaper[]): Map<string, number[]> {
  const byAuthor = new Map<string, number[]>();
  papers.forEach((p, i) => {
    for (const name of new Set(p.authors.map(normalizeAuthorName))) {
      const list = byAuthor.get(name);
      if (list) list.push(i);
      else byAuthor.set(name, [i]);
    }
  });
  return byAuthor;
}

/**
 * Draws `perType` queries of each type from distinct papers, in a seeded random order: the same corpus
 * and options always give the same set.
 */
export function buildEvalSet(papers: readonly CorpusPaper[], opts: EvalSetOptions): EvalSet {
  const order = shuffledIndexes(papers.length, seededRandom(opts.seed));
  const byAuthor = papersByAuthor(papers);
  const queries: EvalQuery[] = [];
  const heldOutAbstracts = new Map<string, string>();
  const count: Record<QueryType, number> = { title: 0, describe: 0, coauthor: 0 };
  // Query papers are taken in turn by type, so no paper serves two queries and the types stay balanced.
  let turn = 0;
  for (const index of order) {
    const open = QUERY_TYPES.filter((t) => count[t] < opts.perType);
    if (open.length === 0) break;
    const paper = papers[index];
    if (opts.eligible && !opts.eligible(paper.id)) continue;
    for (let tried = 0; tried < open.length; tried++) {
      const type = open[(turn + tried) % open.length];
      const query = makeQuery(type, papers, byAuthor, index);
      if (!query) continue;
      queries.push({ id: `${type}-${paper.id}`, type, ...query });
      if (query.heldOutAbstract) heldOutAbstracts.set(paper.id, query.heldOutAbstract);
      count[type]++;
      turn++;
      break;
    }
  }
  return { queries: queries.map(({ heldOutAbstract: _, ...q }: EvalQuery & { heldOutAbstract?: string }) => q), heldOutAbstracts };
}

function makeQuery(
  type: QueryType,
  papers: readonly CorpusPaper[],
  byAuthor: ReadonlyMap<string, number[]>,
  index: number,
): (Omit<EvalQuery, 'id' | 'type'> & { heldOutAbstract?: string }) | undefined {
  const paper = papers[index];
  switch (type) {
    case 'title':
      return words(paper.title).filter(isContentWord).length >= 2 ? { text: paper.title, relevant: new Map([[paper.id, 1]]) } : undefined;
    case 'describe': {
      const d = describeQuery(paper);
      return d && { text: d.query, relevant: new Map([[paper.id, 1]]), heldOutAbstract: d.heldOutAbstract };
    }
    case 'coauthor': {
      if (paper.authors.length < 2 || paper.authors.length > 20) return undefined;
      const relevant = coauthorNeighbours(papers, byAuthor, index);
      return relevant.size >= 1 && relevant.size <= 30 ? { text: paper.title, relevant, exclude: [paper.id] } : undefined;
    }
  }
}

/** The benchmark's fixed queries: short keyword queries from titles and natural-language ones from abstracts. */
export interface BenchmarkQueries {
  keyword: string[];
  natural: string[];
}

/**
 * `perKind` queries of 2–3 content words taken in order from one paper's title, and `perKind` runs of
 * 12–20 consecutive words from a sentence (not the first) of other papers' abstracts. Seeded.
 */
export function benchmarkQueries(papers: readonly CorpusPaper[], seed: number, perKind = 100): BenchmarkQueries {
  const random = seededRandom(seed);
  const order = shuffledIndexes(papers.length, random);
  const keyword: string[] = [];
  const natural: string[] = [];
  for (const index of order) {
    const paper = papers[index];
    if (keyword.length < perKind) {
      const content = words(paper.title).filter((w) => isContentWord(w) && w.length >= 3);
      const n = randomInt(random, 2, 3);
      if (content.length >= n) {
        const start = randomInt(random, 0, content.length - n);
        keyword.push(content.slice(start, start + n).join(' '));
        continue;
      }
    }
    if (natural.length < perKind) {
      const rest = splitFirstSentence(paper.abstract)?.rest;
      const sentence = rest && splitFirstSentence(rest)?.first;
      const w = sentence ? words(sentence) : [];
      const n = randomInt(random, 12, 20);
      if (w.length >= n) {
        const start = randomInt(random, 0, w.length - n);
        natural.push(w.slice(start, start + n).join(' '));
      }
    }
    if (keyword.length >= perKind && natural.length >= perKind) break;
  }
  return { keyword, natural };
}
