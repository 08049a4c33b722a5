/** All SQL of personal API tokens (table `api_tokens`). */
import type { Kysely, Selectable } from 'kysely';
import type { ApiTokensTable } from '../db/schema.accounts.ts';
import type { Database } from '../db/schema.ts';
import type { UserRow } from './user.ts';

/** An API token row as stored (its hash, never the token). */
export type ApiTokenRow = Selectable<ApiTokensTable>;

/** Stores a token's hash and returns the row. */
export async function insertApiToken(db: Kysely<Database>, t: { userId: number; name: string; tokenHash: string; prefix: string; now: string }): Promise<ApiTokenRow> {
  return db
    .insertInto('api_tokens')
    .values({ user_id: t.userId, name: t.name, token_hash: t.tokenHash, prefix: t.prefix, created_at: t.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The token with this hash and its account, when the account is active. */
export async function findLiveApiToken(db: Kysely<Database>, tokenHash: string): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select(['api_tokens.id as token_id', 'api_tokens.name as token_name', 'api_tokens.prefix', 'api_tokens.created_at as token_created_at', 'api_tokens.last_used_at'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('users.status', '=', 'active')
    .executeTakeFirst();
  if (!row) return undefined;
  const { token_id, token_name, prefix, token_created_at, last_used_at, ...user } = row;
  return { token: { id: token_id, user_id: user.id, name: token_name, token_hash: tokenHash, prefix, created_at: token_created_at, last_used_at }, user };
}

/** Notes that a token was used (at most every few minutes per token). */
export async function touchApiToken(db: Kysely<Database>, id: number, now: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

/** One token by id, whoever's it is (the caller checks ownership with `ownedBy`). */
export async function getApiToken(db: Kysely<Database>, id: number): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An account's tokens, newest first. */
export async function listApiTokens(db: Kysely<Database>, userId: number): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();
}

/** Deletes one token of an account (the user id is part of the condition). */
export async function deleteApiToken(db: Kysely<Database>, userId: number, id: number): Promise<boolean> {
  const r = await db.deleteFrom('api_tokens').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
