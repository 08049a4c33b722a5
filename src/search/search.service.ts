import type { Db } from '../db/database.ts';
import type { Paper } from '../papers/paper.ts';
import { getPapers } from '../papers/papers.repo.ts';
import { keywordIndexFor } from './keyword-index.ts';

/** A search result: the paper and its score under the mode used. */
export interface SearchResult {
  paper: Paper;
  score: number;
}

/** Keyword search over the store, best match first. */
export async function searchPapers(db: Db, query: string, limit = 20): Promise<SearchResult[]> {
  const hits = await keywordIndexFor(db.dialect).search(db.kysely, query, limit);
  const papers = new Map((await getPapers(db.kysely, hits.map((h) => h.id))).map((p) => [p.id, p]));
  return hits.flatMap((h) => {
    const paper = papers.get(h.id);
    return paper ? [{ paper, score: h.score }] : [];
  });
}
