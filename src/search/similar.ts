/**
 * "Similar papers" for a paper page: its nearest neighbours in the vector index, near-ties broken by
 * shared authors and categories; for a paper without a vector, the best keyword matches of its title
 * and abstract. Results are cached in memory (see SimilarCache for why not in a table).
 */
import type { Db } from '../db/database.ts';
import type { Paper } from '../papers/paper.ts';
import { getPapers } from '../papers/papers.repo.ts';
import { keywordIndexFor } from './keyword-index.ts';
import type { ParsedQuery, QueryClause } from './query.ts';
import { activeVectorIndex, type SearchDeps } from './search.service.ts';
import { termIndexFor } from './terms/handle.ts';
import { sharedAuthorsAndCategories } from './similar.repo.ts';
import { STOPWORDS, words } from './tokenize.ts';

/** A similar paper and why: cosine similarity (plus tie-breakers) or a keyword score. */
export interface SimilarPaper {
  paper: Paper;
  score: number;
  via: 'vector' | 'keyword';
}

/** Bonus per shared author and per shared category: enough to reorder near-ties, never a distant paper. */
const SHARED_AUTHOR_BONUS = 0.01;
const SHARED_CATEGORY_BONUS = 0.005;

/**
 * Recent answers, keyed by paper and size. In memory rather than in a table: a vector answer costs a
 * millisecond or two to recompute, is invalid the moment the vectors change (the key includes the
 * index version, so that is free here, while a table would need every writer — import, embedding
 * job — to clear it), and keyword answers drift only slowly, so they simply expire.
 */
class SimilarCache {
  private entries = new Map<string, { at: number; ids: { id: number; score: number; via: SimilarPaper['via'] }[] }>();
  constructor(
    private maxEntries = 2000,
    private ttlMs = 10 * 60_000,
  ) {}
  get(key: string) {
    const hit = this.entries.get(key);
    if (!hit || Date.now() - hit.at > this.ttlMs) return undefined;
    this.entries.delete(key); // re-insert: Map order is the LRU order
    this.entries.set(key, hit);
    return hit.ids;
  }
  set(key: string, ids: { id: number; score: number; via: SimilarPaper['via'] }[]): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { at: Date.now(), ids });
  }
}

const caches = new WeakMap<Db, SimilarCache>();

/** The title and abstract as one long query: every content word once, ranked by BM25 with OR semantics. */
function paperAsQuery(title: string, abstract: string): ParsedQuery {
  const seen = new Set<string>();
  const clauses: QueryClause[] = [];
  for (const w of words(`${title} ${abstract}`)) {
    if (STOPWORDS.has(w) || w.length < 2 || seen.has(w)) continue;
    seen.add(w);
    clauses.push({ words: [w], quoted: false, raw: w });
  }
  return { text: title, clauses, excluded: [], filters: {}, warnings: [] };
}

/** Up to `limit` papers most like the given one, best first, with scores; empty when the paper is unknown. */
export async function findSimilar(db: Db, paperId: number, limit: number, deps: SearchDeps = {}): Promise<SimilarPaper[]> {
  const vectors = await activeVectorIndex(db, deps);
  const vector = vectors?.index.vectorOf(paperId);
  const key = `${paperId}:${limit}:${vector ? `${vectors!.embedder.id}@${vectors!.index.version}` : 'kw'}`;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new SimilarCache()));
  let ranked = cache.get(key);
  if (!ranked) {
    if (vectors && vector) {
      const neighbours = (await vectors.index.search(vector, limit * 3 + 1)).filter((h) => h.id !== paperId);
      const shared = await sharedAuthorsAndCategories(db.kysely, paperId, neighbours.map((h) => h.id));
      ranked = neighbours
        .map((h) => {
          const s = shared.get(h.id);
          const bonus = s ? SHARED_AUTHOR_BONUS * Math.min(3, s.authors) + SHARED_CATEGORY_BONUS * Math.min(2, s.categories) : 0;
          return { id: h.id, score: h.score + bonus, via: 'vector' as const };
        })
        .sort((a, b) => b.score - a.score || a.id - b.id)
        .slice(0, limit);
    } else {
      const row = await db.kysely.selectFrom('papers').select(['title', 'abstract']).where('id', '=', paperId).executeTakeFirst();
      if (!row) return [];
      const { hits } = await keywordIndexFor(db.dialect).search(db.kysely, paperAsQuery(row.title, row.abstract), limit + 1, { termIndex: termIndexFor(db).current() });
      ranked = hits.filter((h) => h.id !== paperId).slice(0, limit).map((h) => ({ ...h, via: 'keyword' as const }));
    }
    cache.set(key, ranked);
  }
  const papers = new Map((await getPapers(db.kysely, ranked.map((r) => r.id))).map((p) => [p.id, p]));
  return ranked.flatMap((r) => {
    const paper = papers.get(r.id);
    return paper ? [{ paper, score: r.score, via: r.via }] : [];
  });
}

/** Up to `limit` papers most like the given one, best first; empty when the paper is unknown. */
export async function similarPapers(db: Db, paperId: number, limit: number, deps: SearchDeps = {}): Promise<Paper[]> {
  return (await findSimilar(db, paperId, limit, deps)).map((s) => s.paper);
}
