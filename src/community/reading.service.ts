/**
 * Reading state: a reader marks a paper read, or "not interested"; lists with `?hide=read` then leave out
 * both (the paper filter's `unseenBy`). Private to the account: nothing here is ever shown to anyone else,
 * so it changes no shared page.
 */
import type { User } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import type { ReadingState } from '../db/schema.community.ts';
import { findPaperId } from '../papers/papers.repo.ts';
import * as repo from './reading.repo.ts';

export type { ReadingState } from '../db/schema.community.ts';

/** The states a reader can give a paper; `null` clears it. */
export const READING_STATES: readonly ReadingState[] = ['read', 'dismissed'];

/** Done (with the state now held), or no such paper. */
export type ReadingOutcome = { status: 'ok'; state: ReadingState | null } | { status: 'not-found' };

/** Sets (or with `null` clears) the account's state of a paper. */
export async function setReadingState(db: Db, user: Pick<User, 'id'>, paperId: number, state: ReadingState | null, now = new Date()): Promise<ReadingOutcome> {
  return db.kysely.transaction().execute(async (trx): Promise<ReadingOutcome> => {
    if ((await findPaperId(trx, { id: paperId })) === undefined) return { status: 'not-found' };
    if (state) await repo.upsertReadingState(trx, user.id, paperId, state, now.toISOString());
    else await repo.deleteReadingState(trx, user.id, paperId);
    return { status: 'ok', state };
  });
}

/**
 * Takes back one state (`DELETE …/read`): a paper held in the other state keeps it, so unmarking "read"
 * never undoes "not interested". Answers the state held afterwards.
 */
export async function takeBackReadingState(db: Db, user: Pick<User, 'id'>, paperId: number, state: ReadingState): Promise<ReadingOutcome> {
  return db.kysely.transaction().execute(async (trx): Promise<ReadingOutcome> => {
    if ((await findPaperId(trx, { id: paperId })) === undefined) return { status: 'not-found' };
    await repo.deleteReadingState(trx, user.id, paperId, state);
    return { status: 'ok', state: (await repo.readingStatesOf(trx, user.id, [paperId])).get(paperId) ?? null };
  });
}

/** The account's states of a page's papers. */
export async function readingStatesAmong(db: Db, userId: number, paperIds: number[]): Promise<Map<number, ReadingState>> {
  return repo.readingStatesOf(db.kysely, userId, paperIds);
}
