/** The one lookup every community action starts with: a paper reference to the paper's id and arXiv id, in one indexed query. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** What an action needs to know of its paper. */
export interface PaperKey {
  id: number;
  arxivId: string | null;
}

/** The paper a reference names (arXiv id without version, or numeric id), or undefined. */
export async function findPaperKey(db: Kysely<Database>, ref: { arxivId: string } | { id: number }): Promise<PaperKey | undefined> {
  const query = db.selectFrom('papers').select(['id', 'arxiv_id']);
  const row = await ('arxivId' in ref ? query.where('arxiv_id', '=', ref.arxivId) : query.where('id', '=', ref.id)).executeTakeFirst();
  return row && { id: row.id, arxivId: row.arxiv_id };
}
