/**
 * "Similar papers" for a paper page. For now: the best keyword matches for the paper's title, itself
 * excluded. Vector similarity (src/embed) is meant to replace the body of this one function.
 */
import type { Db } from '../db/database.ts';
import type { Paper } from '../papers/paper.ts';
import { getPapers } from '../papers/papers.repo.ts';
import { keywordIndexFor, queryTerms } from './keyword-index.ts';

// Title words that say nothing about the topic; left in, they make every "Towards a ..." paper similar.
const STOP = new Set('a an and are as at be by for from in into is it of on or our the their this to towards via we with using based'.split(' '));

/** Up to `limit` papers most like the given one, best first; empty when the paper is unknown or too short. */
export async function similarPapers(db: Db, paperId: number, limit: number): Promise<Paper[]> {
  const row = await db.kysely.selectFrom('papers').select('title').where('id', '=', paperId).executeTakeFirst();
  if (!row) return [];
  const terms = queryTerms(row.title).filter((t) => !STOP.has(t) && t.length > 1);
  if (terms.length === 0) return [];
  const index = keywordIndexFor(db.dialect);
  // Up to four words the index requires all of them (see keyword-index.ts), so a short title is also
  // searched word by word and those hits follow the all-words ones.
  const searches = terms.length > 4 ? [terms.join(' ')] : [terms.join(' '), ...terms];
  const ids: number[] = [];
  for (const query of searches) {
    for (const hit of await index.search(db.kysely, query, limit + 1)) if (hit.id !== paperId && !ids.includes(hit.id)) ids.push(hit.id);
    if (ids.length >= limit) break;
  }
  return getPapers(db.kysely, ids.slice(0, limit));
}
