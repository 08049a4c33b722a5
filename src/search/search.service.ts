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
import { DEFAULT_FUSION, fuse, type FusionMethod, type Ranking } from './fusion.ts';
import { keywordIndexFor, MAX_AND_CLAUSES } from './keyword-index.ts';
import { parseQuery, type ParsedQuery, type QueryClause, queryFilter, type SearchMode } from './query.ts';
import { termIndexFor } from './term-index.ts';
import { lightStem, words } from './tokenize.ts';
import { type VectorHit, type VectorIndex, vectorIndexFor, type VectorIndexOptions } from './vector-index.ts';
import { hasAnyVector } from './vectors.repo.ts';

export type { SearchFilters, SearchMode, ParsedQuery } from './query.ts';
export { FilterLimitError } from '../filter/paper-filter.ts';

/** What search needs of an embedder: the query's vector, comparable with the stored ones of the same id. */
export type QueryEmbedder = Pick<Embedder, 'id' | 'dimensions' | 'embed'>;

/** Loads the query embedder when first needed (loading a model takes seconds); null when there is none. */
export type EmbedderLoader = () => Promise<QueryEmbedder | null>;

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

/** What search takes from outside. */
export interface SearchDeps {
  /**
   * The embedder for queries: a loader (the server's configured embedder, see `configuredEmbedder`), the
   * embedder itself (tests pass a small deterministic one), or null/undefined for keyword search only.
   */
  embedder?: QueryEmbedder | EmbedderLoader | null;
  vectorIndex?: VectorIndexOptions;
  /** A single search in a short-lived process (the CLI): no background index builds it would not wait for. */
  oneShot?: boolean;
}

/** How many candidates each ranker hands to fusion (at least a page's worth). */
const FUSION_DEPTH = 100;
const MAX_LIMIT = 1000;

/**
 * A loader of the configuration's embedder (src/embed/embedder.ts#getEmbedder loads it once per process and
 * shares it with the embedding job). It resolves to null when the embedder cannot be loaded — search is then
 * keyword-only, and says why in the log — and tries again on the next search (say, after `models pull`).
 */
export function configuredEmbedder(config: Pick<Config, 'embedder'>): EmbedderLoader {
  let failure: string | undefined;
  return async () => {
    try {
      const { getEmbedder } = await import('../embed/embedder.ts');
      const embedder = await getEmbedder(config);
      failure = undefined;
      return embedder;
    } catch (err) {
      const message = (err as Error).message;
      if (failure !== message) console.error(`search: no embedder, keyword search only: ${message}`);
      failure = message;
      return null;
    }
  };
}

const queryVectors = new Map<string, Float32Array>();

/** The query's vector, remembered for the next page of the same search. */
async function embedQuery(embedder: QueryEmbedder, text: string): Promise<Float32Array> {
  const key = `${embedder.id}\n${text}`;
  let v = queryVectors.get(key);
  if (!v) {
    [v] = await embedder.embed([text]);
    if (queryVectors.size >= 500) queryVectors.delete(queryVectors.keys().next().value!);
    queryVectors.set(key, v);
  }
  return v;
}

/**
 * The vector index to use for a search, loaded and up to date; undefined when there is no embedder or
 * it has no vectors stored yet.
 */
export async function activeVectorIndex(db: Db, deps: SearchDeps = {}): Promise<{ index: VectorIndex; embedder: QueryEmbedder } | undefined> {
  const given = deps.embedder;
  if (!given) return undefined;
  // Loading a configured embedder takes seconds; not worth it while no paper has a vector at all.
  const embedder = typeof given === 'function' ? ((await hasAnyVector(db.kysely)) ? await given() : null) : given;
  if (!embedder) return undefined;
  const index = vectorIndexFor(db, embedder, deps.oneShot ? { ...deps.vectorIndex, hnswThreshold: Infinity } : deps.vectorIndex);
  await index.sync(db.kysely);
  return index.size > 0 ? { index, embedder } : undefined;
}

/**
 * Loads the vector index and builds the term index ahead of the first search, so the first queries
 * are as fast as the rest (a server calls it at start-up, without waiting; failures only log).
 */
export async function prepareSearch(db: Db, deps: SearchDeps = {}): Promise<void> {
  try {
    await activeVectorIndex(db, deps);
    await termIndexFor(db.kysely).ready();
  } catch (err) {
    console.error(`search: could not prepare the search indexes: ${(err as Error).message}`);
  }
}

/** Query clauses (as typed) whose words all occur in the paper's title or abstract, stems compared loosely. */
export function matchedTerms(clauses: QueryClause[], paper: Pick<Paper, 'title' | 'abstract'>): string[] {
  const present = new Set(words(`${paper.title} ${paper.abstract}`).map(lightStem));
  return clauses.filter((c) => c.words.length > 0 && c.words.every((w) => present.has(lightStem(w)))).map((c) => c.raw);
}

/**
 * Searches papers; see SearchRequest for the knobs. Throws FilterLimitError when the request asks for more
 * filter values or words than FILTER_LIMITS allow (the HTTP layer answers 400 with its message).
 */
export async function search(db: Db, request: SearchRequest, deps: SearchDeps = {}): Promise<SearchResponse> {
  const parsedQuery = parseQuery(request.query);
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
    ranked: { id: number; score: number; keywordScore?: number; vectorScore?: number }[],
    extra: { total?: number; partial?: boolean } = {},
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

  // A short query's matches: papers with every word. Counted (up to the cap) for every mode; listed in date or
  // vote order when that is the sort.
  const short = parsedQuery.clauses.length <= MAX_AND_CLAUSES;
  const every = mergeFilters(filters, queryFilter(parsedQuery));
  const allWords = short ? await countFilteredPapers(db, every, undefined, COUNT_CAP + 1) : undefined;
  if (request.sort === 'newest' || request.sort === 'upvotes') {
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
    const hits = await keyword.search(db.kysely, parsedQuery, limit, { offset, filter: filters, useTermIndex: !deps.oneShot });
    const partial = hits.some((h) => h.partial);
    const total = partial ? undefined : allWords;
    return respond('keyword', hits.map(({ id, score }) => ({ id, score, keywordScore: score })), { total, partial });
  }

  const queryVector = await embedQuery(vectors.embedder, parsedQuery.text);
  const depth = Math.max(FUSION_DEPTH, offset + limit);
  const vectorSide = (k: number): Promise<VectorHit[]> => {
    if (!isFiltered(filter)) return Promise.resolve(vectors.index.search(queryVector, k));
    return vectors.index.searchFiltered(queryVector, k, {
      passing: (ids) => idsPassing(db, filter, ids),
      all: () => filteredPaperIds(db, filter, 'newest', 1_000_000),
    });
  };

  if (requested === 'semantic') {
    const hits = (await vectorSide(offset + limit)).slice(offset);
    return respond('semantic', hits.map((h) => ({ ...h, vectorScore: h.score })));
  }


  // A short query's words are all required: papers having them are the results, re-ranked by meaning.
  // Papers found by meaning alone join for long queries (sentences, abstracts) and when none has all the words.
  const keywordHits = await keyword.search(db.kysely, parsedQuery, depth, { filter: filters, useTermIndex: !deps.oneShot });
  const wordsRequired = parsedQuery.clauses.length <= MAX_AND_CLAUSES && keywordHits.some((h) => !h.partial);
  const vectorHits = wordsRequired ? [] : await vectorSide(depth);
  // Every keyword candidate with a vector gets its similarity, so fusion compares like with like.
  const similarity = new Map(vectorHits.map((h) => [h.id, h.score]));
  for (const h of keywordHits) {
    if (!similarity.has(h.id)) {
      const s = vectors.index.similarity(queryVector, h.id);
      if (s !== undefined) similarity.set(h.id, s);
    }
  }
  const keywordRanking: Ranking = { ids: keywordHits.map((h) => h.id), scores: keywordHits.map((h) => h.score) };
  const vectorRanking: Ranking = { ids: [...similarity.keys()], scores: [...similarity.values()] };
  const fused = fuse(keywordRanking, vectorRanking, request.fusion ?? DEFAULT_FUSION);
  const keywordScore = new Map(keywordHits.map((h) => [h.id, h.score]));
  const page = fused.ids.slice(offset, offset + limit).map((id, i) => ({
    id,
    score: fused.scores[offset + i],
    keywordScore: keywordScore.get(id),
    vectorScore: similarity.get(id),
  }));
  const partial = keywordHits.length > 0 && keywordHits.every((h) => h.partial);
  return respond('hybrid', page, { partial, total: wordsRequired ? allWords : undefined });
}
