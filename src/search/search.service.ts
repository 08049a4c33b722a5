/**
 * `search(db, request)`: the one entry point of search. Parses the query, runs the keyword index and
 * the vector index under the same filters, fuses the two rankings (fusion.ts) and loads the papers.
 * Falls back to keyword-only when there is no embedder or no vectors, and for papers without a vector.
 */
import { type RawBuilder, sql } from 'kysely';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Embedder } from '../embed/embedder.ts';
import { parseArxivId } from '../papers/normalize.ts';
import type { Paper } from '../papers/paper.ts';
import { findPaperId, getPapers } from '../papers/papers.repo.ts';
import { allIdsPassing, filterConditions, idsPassing, newestPassing } from './filters.repo.ts';
import { DEFAULT_FUSION, fuse, type FusionMethod, type Ranking } from './fusion.ts';
import { keywordIndexFor, MAX_AND_CLAUSES } from './keyword-index.ts';
import { hasFilters, mergeFilters, parseQuery, type ParsedQuery, type QueryClause, type SearchFilters, type SearchMode } from './query.ts';
import { termIndexFor } from './term-index.ts';
import { lightStem, words } from './tokenize.ts';
import { type VectorHit, type VectorIndex, vectorIndexFor, type VectorIndexOptions } from './vector-index.ts';
import { hasAnyVector } from './vectors.repo.ts';

export type { SearchFilters, SearchMode, ParsedQuery } from './query.ts';

/** What search needs of an embedder: the query's vector, comparable with the stored ones of the same id. */
export type QueryEmbedder = Pick<Embedder, 'id' | 'dimensions' | 'embed'>;

/** A search as the CLI, the API and the pages ask for it. */
export interface SearchRequest {
  /** The query in the syntax of query.ts (words, "phrases", -exclusions, author:/cat:/org:/year:/since:/until:). */
  query: string;
  /** Default hybrid; falls back to keyword when no vectors are available. */
  mode?: SearchMode;
  /** Results per page (1–1000, default 20) and how many to skip. */
  limit?: number;
  offset?: number;
  /** Filters on top of those written in the query. */
  filters?: SearchFilters;
  /** How hybrid mode merges its rankings (default DEFAULT_FUSION). */
  fusion?: FusionMethod;
}

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
  /** How many papers match in all, when known without extra work (a keyword search that ran out). */
  total?: number;
  /** The mode actually used: `keyword` when hybrid or semantic had no vectors to work with. */
  mode: SearchMode;
  /** Set when semantic or hybrid was asked for but no embedder or no stored vectors were available. */
  noVectors?: true;
  parsedQuery: ParsedQuery;
}

/** What search takes from outside; tests pass a small deterministic embedder. */
export interface SearchDeps {
  /** The embedder for queries: undefined means the configured one, null means none (keyword only). */
  embedder?: QueryEmbedder | null;
  vectorIndex?: VectorIndexOptions;
  /** A single search in a short-lived process (the CLI): no background index builds it would not wait for. */
  oneShot?: boolean;
}

/** How many candidates each ranker hands to fusion (at least a page's worth). */
const FUSION_DEPTH = 100;
const MAX_LIMIT = 1000;

let configured: Promise<QueryEmbedder | null> | undefined;

/** The embedder of the configuration, loaded once; null when it cannot be loaded (then search is keyword-only). */
export function configuredEmbedder(): Promise<QueryEmbedder | null> {
  configured ??= (async () => {
    try {
      const { getEmbedder } = await import('../embed/embedder.ts');
      return await getEmbedder(loadConfig());
    } catch (err) {
      console.error(`search: no embedder, keyword search only: ${(err as Error).message}`);
      return null;
    }
  })();
  return configured;
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
  // Loading the configured embedder takes seconds; not worth it while no paper has a vector at all.
  const embedder = deps.embedder !== undefined ? deps.embedder : configured || (await hasAnyVector(db.kysely)) ? await configuredEmbedder() : null;
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

/** Searches papers; see SearchRequest for the knobs. */
export async function search(db: Db, request: SearchRequest, deps: SearchDeps = {}): Promise<SearchResponse> {
  const parsedQuery = parseQuery(request.query);
  const filters = mergeFilters(parsedQuery.filters, request.filters);
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(request.limit ?? 20)));
  const offset = Math.max(0, Math.floor(request.offset ?? 0));
  const requested = request.mode ?? 'hybrid';
  let vectorsMissing = false;
  const respond = async (mode: SearchMode, ranked: { id: number; score: number; keywordScore?: number; vectorScore?: number }[], total?: number): Promise<SearchResponse> => {
    const papers = new Map((await getPapers(db.kysely, ranked.map((r) => r.id))).map((p) => [p.id, p]));
    const results = ranked.flatMap(({ id, ...scores }) => {
      const paper = papers.get(id);
      return paper ? [{ paper, ...scores, matchedTerms: matchedTerms(parsedQuery.clauses, paper) }] : [];
    });
    return { results, total, mode, parsedQuery, ...(mode === 'keyword' && vectorsMissing ? { noVectors: true as const } : {}) };
  };

  // An arXiv id finds that paper.
  const arxiv = parseArxivId(request.query.trim());
  if (arxiv) {
    const id = await findPaperId(db.kysely, { arxivId: arxiv.id });
    if (id !== undefined) return respond('keyword', offset === 0 ? [{ id, score: 1 }] : [], 1);
  }

  const keyword = keywordIndexFor(db.dialect);
  const conditions = (id: RawBuilder<unknown>) => [
    ...filterConditions(filters, id),
    ...(parsedQuery.excluded.length ? [sql<boolean>`NOT (${keyword.matchesAny(parsedQuery.excluded, id)})`] : []),
  ];

  // Filters (or exclusions) alone: the newest papers that pass them.
  if (parsedQuery.clauses.length === 0) {
    if (!hasFilters(filters) && parsedQuery.excluded.length === 0) return respond(requested, [], 0);
    const ids = await newestPassing(db.kysely, conditions(sql.raw('id')), limit, offset);
    return respond('keyword', ids.map((id) => ({ id, score: 0 })));
  }

  const vectors = requested === 'keyword' || !parsedQuery.text ? undefined : await activeVectorIndex(db, deps);
  vectorsMissing = requested !== 'keyword' && !vectors;
  if (!vectors) {
    const hits = await keyword.search(db.kysely, parsedQuery, limit, { offset, filters, useTermIndex: !deps.oneShot });
    const total = hits.length < limit && !hits.some((h) => h.partial) ? offset + hits.length : undefined;
    return respond('keyword', hits.map(({ id, score }) => ({ id, score, keywordScore: score })), total);
  }

  const queryVector = await embedQuery(vectors.embedder, parsedQuery.text);
  const depth = Math.max(FUSION_DEPTH, offset + limit);
  const vectorSide = (k: number): Promise<VectorHit[]> => {
    const where = conditions(sql.raw('id'));
    if (where.length === 0) return Promise.resolve(vectors.index.search(queryVector, k));
    return vectors.index.searchFiltered(queryVector, k, {
      passing: (ids) => idsPassing(db.kysely, ids, where),
      all: () => allIdsPassing(db.kysely, where, 1_000_000),
    });
  };

  if (requested === 'semantic') {
    const hits = (await vectorSide(offset + limit)).slice(offset);
    return respond('semantic', hits.map((h) => ({ ...h, vectorScore: h.score })));
  }

  // A short query's words are all required: papers having them are the results, re-ranked by meaning.
  // Papers found by meaning alone join for long queries (sentences, abstracts) and when none has all the words.
  const keywordHits = await keyword.search(db.kysely, parsedQuery, depth, { filters, useTermIndex: !deps.oneShot });
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
  return respond('hybrid', page);
}

/** Hybrid search returning just the results: the shape the web pages and listings use. */
export async function searchPapers(db: Db, query: string, limit = 20): Promise<SearchResult[]> {
  return (await search(db, { query, limit })).results;
}
