/**
 * Personal API tokens: `pb_` and 256 random bits, sent as `Authorization: Bearer pb_…`. Shown once when made;
 * only the SHA-256 is stored, with a short prefix to tell tokens apart. A token acts as its account on /api
 * (and only there: see http/auth.ts), and stops working when revoked or when the account is suspended.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import * as repo from './api-tokens.repo.ts';
import type { ApiTokenRow } from './api-tokens.repo.ts';
import { newSecret, secretHash } from './secrets.ts';
import { type Owned, toUser, type User } from './user.ts';

export type { ApiTokenRow } from './api-tokens.repo.ts';

/** What every token starts with, so a leaked one is recognisable (and secret scanners can look for it). */
export const API_TOKEN_PREFIX = 'pb_';
/** Longest token name. */
export const MAX_TOKEN_NAME = 100;
/** How many tokens one account may hold. */
export const MAX_TOKENS = 50;
const SHAPE = /^pb_[A-Za-z0-9_-]{43}$/;
const TOUCH_EVERY_MS = 5 * 60_000;

/** Whether a bearer credential is shaped like one of our tokens (the admin token and others are not). */
export function looksLikeApiToken(value: string): boolean {
  return value.startsWith(API_TOKEN_PREFIX);
}

/** Makes a token for an account; `token` is shown to its owner once and never stored. Undefined past MAX_TOKENS. */
export async function createApiToken(db: Kysely<Database>, user: Pick<User, 'id'>, name: string, now = new Date()): Promise<{ token: string; row: ApiTokenRow } | undefined> {
  if ((await repo.listApiTokens(db, user.id)).length >= MAX_TOKENS) return undefined;
  const token = API_TOKEN_PREFIX + newSecret();
  const clean = name.trim().slice(0, MAX_TOKEN_NAME) || 'API token';
  const row = await repo.insertApiToken(db, { userId: user.id, name: clean, tokenHash: secretHash(token), prefix: token.slice(0, 10), now: now.toISOString() });
  return { token, row };
}

/** The account and token a bearer value belongs to, when it is a token of an active account (looked up through `reads`, touched through `db`). */
export async function apiTokenFor(db: Kysely<Database>, token: string, now = new Date(), reads = db): Promise<{ user: User; token: ApiTokenRow } | undefined> {
  if (!SHAPE.test(token)) return undefined;
  const found = await repo.findLiveApiToken(reads, secretHash(token));
  if (!found) return undefined;
  const last = found.token.last_used_at ? Date.parse(found.token.last_used_at) : 0;
  if (now.getTime() - last > TOUCH_EVERY_MS) await repo.touchApiToken(db, found.token.id, now.toISOString());
  return { user: toUser(found.user), token: found.token };
}

/** An account's tokens, newest first (hashes and prefixes; the tokens themselves are gone). */
export function listApiTokens(db: Kysely<Database>, user: Pick<User, 'id'>): Promise<ApiTokenRow[]> {
  return repo.listApiTokens(db, user.id);
}

/** One token row by id, to be checked with `ownedBy`. */
export function findApiToken(db: Kysely<Database>, id: number): Promise<ApiTokenRow | undefined> {
  return repo.getApiToken(db, id);
}

/** Revokes one of the account's own tokens. */
export async function revokeApiToken(db: Kysely<Database>, token: Owned<ApiTokenRow>): Promise<void> {
  await repo.deleteApiToken(db, token.user_id, token.id);
}
