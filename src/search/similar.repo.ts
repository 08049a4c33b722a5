/** SQL behind similar papers: what a paper shares with its neighbours. */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** For each candidate, how many authors and categories it shares with the paper (candidates sharing none are absent). */
export async function sharedAuthorsAndCategories(
  db: Kysely<Database>,
  paperId: number,
  candidates: number[],
): Promise<Map<number, { authors: number; categories: number }>> {
  const out = new Map<number, { authors: number; categories: number }>();
  if (candidates.length === 0) return out;
  const { rows: authors } = await sql<{ id: number; n: number }>`
    SELECT b.paper_id AS id, count(*) AS n FROM paper_authors a JOIN paper_authors b ON b.author_id = a.author_id
    WHERE a.paper_id = ${paperId} AND b.paper_id IN (${sql.join(candidates)}) GROUP BY b.paper_id`.execute(db);
  const { rows: categories } = await sql<{ id: number; n: number }>`
    SELECT b.paper_id AS id, count(*) AS n FROM paper_categories a JOIN paper_categories b ON b.category = a.category
    WHERE a.paper_id = ${paperId} AND b.paper_id IN (${sql.join(candidates)}) GROUP BY b.paper_id`.execute(db);
  for (const r of authors) out.set(r.id, { authors: Number(r.n), categories: 0 });
  for (const r of categories) out.set(r.id, { authors: out.get(r.id)?.authors ?? 0, categories: Number(r.n) });
  return out;
}
