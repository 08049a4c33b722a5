/** The SQL of community picks: the papers with the most votes and submissions in a time range. */
import { sql } from 'kysely';
import type { PaperFilter } from '../filter/paper-filter.ts';
import { type FilterDb, paperFilterSql } from '../filter/paper-filter.repo.ts';

/**
 * Ids of papers voted for or submitted at `fromAt` or later (and before `beforeAt`), passing the filter, by
 * how much happened to each then, hotter first among equals. Timestamps are ISO text, compared as text.
 */
export async function pickIds(db: FilterDb, range: { fromAt: string; beforeAt?: string }, filter: PaperFilter, limit: number): Promise<number[]> {
  const within = (column: string) => sql`${sql.ref(column)} >= ${range.fromAt}${range.beforeAt ? sql` AND ${sql.ref(column)} < ${range.beforeAt}` : sql``}`;
  const { rows } = await sql<{ id: number }>`SELECT papers.id AS id FROM (
      SELECT paper_id FROM paper_votes WHERE ${within('created_at')}
      UNION ALL SELECT paper_id FROM paper_submissions WHERE ${within('created_at')}
    ) activity INNER JOIN papers ON papers.id = activity.paper_id
    WHERE ${paperFilterSql(filter, db.dialect)}
    GROUP BY papers.id, papers.hotness
    ORDER BY count(*) DESC, papers.hotness DESC, papers.id DESC LIMIT ${limit}`.execute(db.kysely);
  return rows.map((r) => r.id);
}
