/**
 * Simulated readers for the recommendation evaluation: an author with enough papers before a cutoff
 * and at least one in the window after it is a reader whose library is those earlier papers and whose
 * relevant papers are their own new ones. Pure: works on any list of dated, authored papers.
 */
import { addDays } from '../../listings/period.ts';
import { normalizeAuthorName } from '../../papers/normalize.ts';
import { seededRandom, shuffledIndexes } from '../../search/eval/random.ts';

/** What reader selection needs of a paper. */
export interface DatedPaper {
  /** YYYY-MM-DD: the listing day. */
  day: string;
  authors: readonly string[];
  categories: readonly string[];
}

/** A simulated reader: indexes into the paper list. */
export interface SimulatedReader {
  /** A stable id for the report (not shown to rankers): r1, r2, … in selection order. */
  id: string;
  /** Their papers listed before the cutoff, oldest first. */
  library: number[];
  /** Their papers listed in the window: what a ranker should put first. */
  relevant: number[];
}

/** How readers are chosen. */
export interface ReaderSelection {
  cutoff: string;
  windowDays: number;
  /** At most this many readers, drawn at random (seeded) from the eligible ones. */
  users: number;
  seed: number;
  /** Papers an author needs before the cutoff (5 in the issue). */
  minLibrary?: number;
}

/** The readers drawn, the window's candidates, and how many authors each rule set aside. */
export interface ReaderDraw {
  readers: SimulatedReader[];
  /** Every paper listed in the window, in list order. */
  candidates: number[];
  /** The day after the window (exclusive end). */
  windowEnd: string;
  counts: { eligible: number; ambiguousName: number; incoherentTopics: number; scatteredCoauthors: number; duplicate: number };
}

/**
 * Whether a name is too vague to stand for one person: a single word, or a first word that is an initial
 * ("J. Smith" is many people).
 */
export function vagueName(normalized: string): boolean {
  const parts = normalized.split(' ').filter((p) => p.length > 0);
  return parts.length < 2 || parts[0].length < 2;
}

/** True when some category is on at least half of the papers: one person's work has a home field. */
export function coherentTopics(papers: readonly DatedPaper[]): boolean {
  const count = new Map<string, number>();
  for (const p of papers) for (const c of new Set(p.categories)) count.set(c, (count.get(c) ?? 0) + 1);
  let top = 0;
  for (const n of count.values()) top = Math.max(top, n);
  return top * 2 >= papers.length;
}

/**
 * The share of an author's papers in their largest group of papers linked by shared coauthors. A name
 * several unrelated people publish under splits into groups that never share a coauthor; one person's
 * papers mostly link up.
 */
export function largestCoauthorGroupShare(name: string, papers: readonly DatedPaper[]): number {
  const parent = papers.map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const firstPaperOf = new Map<string, number>();
  papers.forEach((p, i) => {
    for (const author of new Set(p.authors.map(normalizeAuthorName))) {
      if (author === name) continue;
      const j = firstPaperOf.get(author);
      if (j === undefined) firstPaperOf.set(author, i);
      else parent[find(i)] = find(j);
    }
  });
  const size = new Map<number, number>();
  for (let i = 0; i < papers.length; i++) size.set(find(i), (size.get(find(i)) ?? 0) + 1);
  let largest = 0;
  for (const n of size.values()) largest = Math.max(largest, n);
  return papers.length === 0 ? 0 : largest / papers.length;
}

/** Below this share in one coauthor group, a name is taken for several people. */
export const MIN_COAUTHOR_GROUP_SHARE = 1 / 3;

/**
 * Draws the readers of a cutoff: authors (by normalized name) with at least `minLibrary` papers before
 * the cutoff and one or more in `[cutoff, cutoff + windowDays)`, minus ambiguous names (vague, without a
 * home category, or scattered over unrelated coauthor groups) and minus readers identical to an earlier
 * one in library and relevant papers (the hundred authors of one large collaboration are one reader).
 */
export function selectReaders(papers: readonly DatedPaper[], opts: ReaderSelection): ReaderDraw {
  const minLibrary = opts.minLibrary ?? 5;
  const windowEnd = addDays(opts.cutoff, opts.windowDays);
  const before = new Map<string, number[]>();
  const inWindow = new Map<string, number[]>();
  const candidates: number[] = [];
  papers.forEach((p, i) => {
    const target = p.day < opts.cutoff ? before : p.day < windowEnd ? inWindow : undefined;
    if (!target) return;
    if (target === inWindow) candidates.push(i);
    for (const name of new Set(p.authors.map(normalizeAuthorName))) {
      if (!name) continue;
      const list = target.get(name);
      if (list) list.push(i);
      else target.set(name, [i]);
    }
  });
  const counts = { eligible: 0, ambiguousName: 0, incoherentTopics: 0, scatteredCoauthors: 0, duplicate: 0 };
  const eligible: { name: string; library: number[]; relevant: number[] }[] = [];
  const seen = new Set<string>();
  // Names in a fixed order, so the draw depends on the seed only.
  for (const name of [...before.keys()].sort()) {
    const library = before.get(name)!;
    const relevant = inWindow.get(name);
    if (library.length < minLibrary || !relevant) continue;
    counts.eligible++;
    const libraryPapers = library.map((i) => papers[i]);
    if (vagueName(name)) counts.ambiguousName++;
    else if (!coherentTopics(libraryPapers)) counts.incoherentTopics++;
    else if (largestCoauthorGroupShare(name, libraryPapers) < MIN_COAUTHOR_GROUP_SHARE) counts.scatteredCoauthors++;
    else {
      const key = `${[...library].sort((a, b) => a - b).join(',')}|${[...relevant].sort((a, b) => a - b).join(',')}`;
      if (seen.has(key)) counts.duplicate++;
      else {
        seen.add(key);
        eligible.push({ name, library, relevant });
      }
    }
  }
  const order = shuffledIndexes(eligible.length, seededRandom(opts.seed)).slice(0, opts.users);
  const readers = order.map((k, n) => {
    const e = eligible[k];
    const library = [...e.library].sort((a, b) => (papers[a].day < papers[b].day ? -1 : papers[a].day > papers[b].day ? 1 : a - b));
    return { id: `r${n + 1}`, library, relevant: e.relevant };
  });
  return { readers, candidates, windowEnd, counts };
}

/**
 * A reader's library cut to `size` papers drawn at random (seeded per reader), oldest first: how a
 * reader who seeded the recommender with a few papers looks. Undefined when the library is smaller.
 */
export function subsampleLibrary(reader: SimulatedReader, size: number, seed: number): SimulatedReader | undefined {
  if (reader.library.length < size) return undefined;
  let h = seed >>> 0;
  for (let i = 0; i < reader.id.length; i++) h = Math.imul(h ^ reader.id.charCodeAt(i), 0x01000193) >>> 0;
  const keep = new Set(shuffledIndexes(reader.library.length, seededRandom(h)).slice(0, size));
  return { ...reader, library: reader.library.filter((_, i) => keep.has(i)) };
}
