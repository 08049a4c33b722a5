/**
 * `search(db, request)`: the one entry point of search. Parses the query, runs the keyword index and
 * the vector index under the same paper filter (src/filter/), fuses the two rankings (fusion.ts) and loads
 * the papers. Falls back to keyword-only when there is no embedder or no vectors, and for papers without a
 * vector. It reads no configuration: the caller says which embedder queries use (`SearchDeps.embedder`).
 */
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Embedder } from '../embed/embedder.ts';
import { checkFilterLimits, isFiltered, mergeFilters, type PaperFilter } from '../filter/paper-filter.ts';
import { countFilteredPapers, filteredPaperIds, idsPassing } from '../filter/paper-filter.repo.ts';
import { parseArxivId } from '../papers/normalize.ts';
import type { Paper } from '../papers/paper.ts';
import { findPaperId, getPapers } from '../papers/papers.repo.ts';
import type { FusionMethod } from './fusion.ts';
import { hybridRanking, VECTOR_FLOOR } from './hybrid.ts';
import { keywordIndexFor, MAX_AND_CLAUSES } from './keyword-index.ts';
import { parseQuery, type ParsedQuery, type QueryClause, queryFilter, type SearchMode } from './query.ts';
import { respell } from './spelling.ts';
import { termIndexFor } from './terms/handle.ts';
import type { TermIndex } from './terms/term-index.ts';
import { fold, lightStem } from './tokenize.ts';
import { type VectorHit, type VectorIndex, vectorIndexFor, type VectorIndexOptions } from './vector-index.ts';

export type { SearchFilters, SearchMode, ParsedQuery } from './query.ts';
export { activeVectorIndex, configuredEmbedder, prepareSearch, type EmbedderLoader, type QueryEmbedder, type SearchDeps } from './search.context.ts';
import { activeVectorIndex, embedQuery, type SearchDeps } from './search.context.ts';
export { FilterLimitError } from '../filter/paper-filter.ts';

/** A search as the CLI, the API and the pages ask for it. */
export interface SearchRequest {
  /** The query in the syntax of query.ts (words, "phrases", -exclusions, author:/cat:/org:/year:/since:/until:). */
  query: string;
  /** Default hybrid; falls back to keyword when no vectors are available. */
  mode?: SearchMode;
  /** Results per page (1–1000, default 20) and how many to skip. */
  limit?: number;
  offset?: number;
  /** The paper filter on top of the operators written in the query. */
  filters?: PaperFilter;
  /** How hybrid mode merges its rankings (default DEFAULT_FUSION). */
  fusion?: FusionMethod;
  /**
   * `relevance` (default) ranks; `newest` and `upvotes` list the papers that have every word (or, when none
   * has them all, some of them), in that order, with the filters — as a feed or an alert would select them.
   */
  sort?: SearchSort;
  /** Search exactly the words written, even when nothing matches them (no spelling suggestion is applied). */
  literal?: boolean;
}

/** How a search orders its results. */
export type SearchSort = 'relevance' | 'newest' | 'upvotes';

/** Counts are exact up to this many matches; beyond, a search says "more than" this. */
export const COUNT_CAP = 10_000;

/** One result: the paper, its score under the mode used, and which query terms it contains. */
export interface SearchResult {
  paper: Paper;
  score: number;
  /** Query words and phrases (as typed) found in the title or abstract. */
  matchedTerms: string[];
  /** The rankers' own scores, where they ranked the paper (BM25 or ts_rank; cosine similarity). */
  keywordScore?: number;
  vectorScore?: number;
  /** Found by meaning only: shown after the papers that have every word of the query. */
  related?: true;
}

/** A page of results and how they were found. */
export interface SearchResponse {
  results: SearchResult[];
  /** How many papers match in all (every word, and the filters), exact up to COUNT_CAP; undefined for long queries. */
  total?: number;
  /** Set when more than COUNT_CAP papers match: `total` is then COUNT_CAP, a lower bound. */
  totalAtLeast?: true;
  /** The mode actually used: `keyword` when hybrid or semantic had no vectors to work with. */
  mode: SearchMode;
  /** Set when semantic or hybrid was asked for but no embedder or no stored vectors were available. */
  noVectors?: true;
  /** Set when no paper has every word and the results have only some of them. */
  partial?: true;
  /**
   * Set when no result is close enough to count as a match (below the relevance floor): the results are
   * the closest papers, to be shown as such ("No papers match; the closest are …"), or none.
   */
  closest?: true;
  /**
   * A spelling from the store's own vocabulary ("Did you mean transformer?"). `applied` when the query as
   * written found nothing and these results are the suggestion's; `literal: true` in the request turns that off.
   */
  suggestion?: { query: string; applied: boolean };
  parsedQuery: ParsedQuery;
}

/**
 * How many candidates each ranker hands to fusion (at least a page's worth). The vector side needs fewer:
 * every keyword candidate gets its similarity anyway, so its list only adds papers the words missed.
 */
const FUSION_DEPTH = 100;
const VECTOR_DEPTH = 50;
const MAX_LIMIT = 1000;

/** Query clauses (as typed) whose words all occur in the paper's title or abstract, stems compared loosely. */
export function matchedTerms(clauses: QueryClause[], paper: Pick<Paper, 'title' | 'abstract'>): string[] {
  const wanted = [...new Set(clauses.flatMap((c) => c.words.map(lightStem)))];
  const present = new Set<string>();
  for (const text of [paper.title, paper.abstract]) {
    const folded = fold(text);
    for (const stem of wanted) if (!present.has(stem) && hasWordWithStem(folded, stem)) present.add(stem);
    // Read the abstract only when the title lacked a word.
    if (present.size === wanted.length) break;
  }
  return clauses.filter((c) => c.words.length > 0 && c.words.every((w) => present.has(lightStem(w)))).map((c) => c.raw);
}

/**
 * Whether folded text has a word whose light stem is `stem`: such a word starts with the stem, so only the
 * stem's occurrences are looked at (tokenizing every abstract of a results page cost most of a millisecond).
 */
function hasWordWithStem(text: string, stem: string): boolean {
  for (let at = text.indexOf(stem); at >= 0; at = text.indexOf(stem, at + 1)) {
    if (at > 0 && isWordChar(text, at - 1)) continue;
    let end = at + stem.length;
    while (end < text.length && isWordChar(text, end)) end++;
    if (lightStem(text.slice(at, end)) === stem) return true;
  }
  return false;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  return WORD_CHAR.test(text[i]);
}

/**
 * Searches papers; see SearchRequest for the knobs. A word the store does not have gets a suggestion from
 * its vocabulary (spelling.ts), applied when the query as written finds nothing (unless `literal`), and a
 * run-together word is also searched split. Throws FilterLimitError when the request asks for more filter
 * values or words than FILTER_LIMITS allow (the HTTP layer answers 400 with its message).
 */
export async function search(db: Db, request: SearchRequest, deps: SearchDeps = {}): Promise<SearchResponse> {
  const parsed = parseQuery(request.query);
  // Only an index holding every paper answers: right after an import the database does, until the rebuild.
  const index = deps.oneShot ? undefined : await termIndexFor(db).fresh();
  if (!index) return searchParsed(db, request, parsed, deps, undefined);
  const { parsed: respelled, suggestion } = respell(request.query, parsed, index);
  const response = await searchParsed(db, request, respelled, deps, index);
  if (!suggestion) return response;
  if (!request.literal && (response.results.length === 0 || response.closest)) {
    const corrected = await searchParsed(db, { ...request, query: suggestion }, respell(suggestion, parseQuery(suggestion), index).parsed, deps, index);
    if (corrected.results.length > 0 && !corrected.closest) return { ...corrected, suggestion: { query: suggestion, applied: true } };
  }
  return { ...response, suggestion: { query: suggestion, applied: false } };
}

/** One search of an already parsed (and respelled) query. */
async function searchParsed(db: Db, request: SearchRequest, parsedQuery: ParsedQuery, deps: SearchDeps, termIndex: TermIndex | undefined): Promise<SearchResponse> {
  const filters = mergeFilters(parsedQuery.filters, request.filters);
  // What every result must pass besides the ranked words: the filters, and none of the excluded words.
  const filter = parsedQuery.excluded.length ? mergeFilters(filters, { text: { clauses: [], excluded: parsedQuery.excluded, match: 'all' } }) : filters;
  checkFilterLimits({ ...filter, text: { clauses: parsedQuery.clauses, excluded: parsedQuery.excluded, match: 'all' } });
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(request.limit ?? 20)));
  const offset = Math.max(0, Math.floor(request.offset ?? 0));
  const requested = request.mode ?? 'hybrid';
  let vectorsMissing = false;
  const respond = async (
    mode: SearchMode,
    ranked: { id: number; score: number; keywordScore?: number; vectorScore?: number; related?: true }[],
    extra: { total?: number; partial?: boolean; closest?: boolean } = {},
  ): Promise<SearchResponse> => {
    const capped = extra.total !== undefined && extra.total > COUNT_CAP;
    const papers = new Map((await getPapers(db.kysely, ranked.map((r) => r.id))).map((p) => [p.id, p]));
    const results = ranked.flatMap(({ id, ...scores }) => {
      const paper = papers.get(id);
      return paper ? [{ paper, ...scores, matchedTerms: matchedTerms(parsedQuery.clauses, paper) }] : [];
    });
    return {
      results,
      total: capped ? COUNT_CAP : extra.total,
      ...(capped ? { totalAtLeast: true as const } : {}),
      mode,
      parsedQuery,
      ...(mode === 'keyword' && vectorsMissing ? { noVectors: true as const } : {}),
      ...(extra.partial ? { partial: true as const } : {}),
      ...(extra.closest ? { closest: true as const } : {}),
    };
  };

  // An arXiv id finds that paper.
  const arxiv = parseArxivId(request.query.trim());
  if (arxiv) {
    const id = await findPaperId(db.kysely, { arxivId: arxiv.id });
    if (id !== undefined) return respond('keyword', offset === 0 ? [{ id, score: 1 }] : [], { total: 1 });
  }

  // Filters (or exclusions) alone: the newest papers that pass them, counted.
  if (parsedQuery.clauses.length === 0) {
    if (!isFiltered(filter)) return respond(requested, [], { total: 0 });
    const ids = await filteredPaperIds(db, filter, request.sort === 'upvotes' ? 'upvotes' : 'newest', limit, offset);
    return respond('keyword', ids.map((id) => ({ id, score: 0 })), { total: await countFilteredPapers(db, filter, undefined, COUNT_CAP + 1) });
  }

  // A short query's matches: papers with every word, counted (up to the cap) in every mode — by the term index
  // when it answered, else by the database — and listed in date or vote order when that is the sort.
  const short = parsedQuery.clauses.length <= MAX_AND_CLAUSES;
  const every = mergeFilters(filters, queryFilter(parsedQuery));
  const countAllWords = async () => (short ? countFilteredPapers(db, every, undefined, COUNT_CAP + 1) : undefined);
  if (request.sort === 'newest' || request.sort === 'upvotes') {
    const allWords = await countAllWords();
    const partial = allWords === 0 && parsedQuery.clauses.length > 1;
    const matching = partial ? mergeFilters(filters, { text: { clauses: parsedQuery.clauses, excluded: parsedQuery.excluded, match: 'any' } }) : every;
    const ids = await filteredPaperIds(db, matching, request.sort, limit, offset);
    const total = partial || allWords === undefined ? await countFilteredPapers(db, matching, undefined, COUNT_CAP + 1) : allWords;
    return respond('keyword', ids.map((id) => ({ id, score: 0 })), { total, partial });
  }

  const keyword = keywordIndexFor(db.dialect);
  const vectors = requested === 'keyword' || !parsedQuery.text ? undefined : await activeVectorIndex(db, deps);
  vectorsMissing = requested !== 'keyword' && !vectors;
  if (!vectors) {
    const { hits, total: counted } = await keyword.search(db.kysely, parsedQuery, limit, { offset, filter: filters, termIndex });
    const partial = hits.some((h) => h.partial);
    const total = partial ? undefined : (counted ?? (await countAllWords()));
    return respond('keyword', hits.map(({ id, score }) => ({ id, score, keywordScore: score })), { total, partial, closest: partial });
  }

  const queryVector = await embedQuery(vectors.embedder, parsedQuery.text);
  const depth = Math.max(FUSION_DEPTH, offset + limit);
  const vectorSide = (k: number): Promise<VectorHit[]> => {
    if (!isFiltered(filter)) return vectors.index.search(queryVector, k);
    return vectors.index.searchFiltered(queryVector, k, {
      passing: (ids) => idsPassing(db, filter, ids),
      all: () => filteredPaperIds(db, filter, 'newest', 1_000_000),
    });
  };

  if (requested === 'semantic') {
    // Under the floor a similarity is no evidence (an unknown word's zero vector): nothing, rather than noise.
    const hits = (await vectorSide(offset + limit)).slice(offset).filter((h) => h.score >= VECTOR_FLOOR);
    return respond('semantic', hits.map((h) => ({ ...h, vectorScore: h.score })));
  }

  const [{ hits: keywordHits, total: counted }, vectorHits] = await Promise.all([
    keyword.search(db.kysely, parsedQuery, depth, { filter: filters, termIndex }),
    vectorSide(Math.max(VECTOR_DEPTH, offset + limit)),
  ]);
  const fullMatches = short && keywordHits.length > 0 && keywordHits.every((h) => !h.partial);
  const ranked = hybridRanking({ keywordHits, vectorHits, similarity: (id) => vectors.index.similarity(queryVector, id), fullMatches, fusion: request.fusion });
  const partial = keywordHits.some((h) => h.partial);
  return respond('hybrid', ranked.slice(offset, offset + limit), {
    partial,
    // A short query whose words no paper has all of: what is shown are the closest papers, said so.
    closest: short && !fullMatches && ranked.length > 0,
    total: fullMatches ? (counted ?? (await countAllWords())) : undefined,
  });
}
