/** The SQL of reading states: what an account read or marked "not interested", one row per paper. */
import type { Kysely } from 'kysely';
import type { ReadingState } from '../db/schema.community.ts';
import type { Database } from '../db/schema.ts';

/** Sets the account's state of a paper (replacing an earlier one). */
export async function upsertReadingState(db: Kysely<Database>, userId: number, paperId: number, state: ReadingState, now: string): Promise<void> {
  await db
    .insertInto('reading_states')
    .values({ user_id: userId, paper_id: paperId, state, updated_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doUpdateSet({ state, updated_at: now }))
    .execute();
}

/** Forgets the account's state of a paper (only if it is `only`, when given). */
export async function deleteReadingState(db: Kysely<Database>, userId: number, paperId: number, only?: ReadingState): Promise<void> {
  let q = db.deleteFrom('reading_states').where('user_id', '=', userId).where('paper_id', '=', paperId);
  if (only) q = q.where('state', '=', only);
  await q.execute();
}

/** The account's states of the given papers (papers without one are left out). */
export async function readingStatesOf(db: Kysely<Database>, userId: number, paperIds: number[]): Promise<Map<number, ReadingState>> {
  if (paperIds.length === 0) return new Map();
  const rows = await db.selectFrom('reading_states').select(['paper_id', 'state']).where('user_id', '=', userId).where('paper_id', 'in', paperIds).execute();
  return new Map(rows.map((r) => [r.paper_id, r.state]));
}
