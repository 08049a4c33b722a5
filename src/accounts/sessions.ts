/**
 * Sign-in sessions: a random 256-bit value in an HttpOnly cookie, its SHA-256 in the database. A session
 * lasts SESSION_DAYS from sign-in; each sign-in makes a new one (the browser's old one is deleted), so a
 * value planted or seen before sign-in is worth nothing after it. Suspending an account ends its sessions.
 */
import type { Kysely } from 'kysely';
import type { SessionMethod } from '../db/schema.accounts.ts';
import type { Database } from '../db/schema.ts';
import { newSecret, secretHash } from './secrets.ts';
import { forgetSessionHash, rememberedSession, rememberSession, type ResolvedSession, sessionCacheGeneration } from './session-cache.ts';
import * as repo from './sessions.repo.ts';
import type { SessionRow } from './sessions.repo.ts';
import { type Owned, toUser, type User } from './user.ts';

export type { SessionRow } from './sessions.repo.ts';

/** How long a session lasts after sign-in. */
export const SESSION_DAYS = 30;
/** `last_seen_at` is written at most this often per session, so reading pages costs no writes. */
const TOUCH_EVERY_MS = 5 * 60_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Where a sign-in came from, for the list of active sessions. */
export interface SessionOrigin {
  method: SessionMethod;
  userAgent?: string;
  client?: string;
}

/** Opens a session for an account; the returned token goes into the cookie and is not stored. */
export async function openSession(db: Kysely<Database>, userId: number, origin: SessionOrigin, now = new Date()): Promise<{ token: string; session: SessionRow }> {
  const token = newSecret();
  const session = await repo.insertSession(db, {
    userId,
    tokenHash: secretHash(token),
    method: origin.method,
    userAgent: origin.userAgent?.slice(0, 300) ?? null,
    client: origin.client?.slice(0, 64) ?? null,
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString(),
  });
  await db.updateTable('users').set({ last_sign_in_at: now.toISOString() }).where('id', '=', userId).execute();
  return { token, session };
}

/**
 * The account and session a cookie value belongs to, when it is a live session of an active account. The
 * lookup may go through `reads` (the store's quick reads, `Db.quick`); the occasional touch goes through `db`.
 * An answer is remembered for SESSION_CACHE_MS (session-cache.ts): every change to the session or its
 * account in this process forgets it, so only another process's change can take that long to show here.
 */
export async function sessionFor(db: Kysely<Database>, token: string, now = new Date(), reads = db): Promise<ResolvedSession | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const hash = secretHash(token);
  const at = now.getTime();
  const remembered = rememberedSession(db, hash, at);
  if (remembered) {
    if (at - Date.parse(remembered.session.last_seen_at) <= TOUCH_EVERY_MS) return remembered;
    // Due for its touch while remembered: the next request reads the touched row.
    await repo.touchSession(db, remembered.session.id, now.toISOString());
    forgetSessionHash(hash);
    return remembered;
  }
  const readAt = sessionCacheGeneration();
  const found = await repo.findLiveSession(reads, hash, now.toISOString());
  if (!found) return undefined;
  let session = found.session;
  if (at - Date.parse(session.last_seen_at) > TOUCH_EVERY_MS) {
    await repo.touchSession(db, session.id, now.toISOString());
    session = { ...session, last_seen_at: now.toISOString() };
  }
  const resolved = { user: toUser(found.user), session };
  rememberSession(db, hash, resolved, at, readAt);
  return resolved;
}

/** Ends the session a cookie value belongs to (signing out); nothing when there is none. */
export async function endSession(db: Kysely<Database>, token: string): Promise<void> {
  if (TOKEN.test(token)) await repo.deleteSessionByHash(db, secretHash(token));
}

/** An account's active sessions, most recently used first. */
export function listSessions(db: Kysely<Database>, user: Pick<User, 'id'>, now = new Date()): Promise<SessionRow[]> {
  return repo.listSessions(db, user.id, now.toISOString());
}

/** One session, as `Owned` when it is `user`'s (see `ownedBy`). */
export async function findSession(db: Kysely<Database>, id: number): Promise<SessionRow | undefined> {
  return repo.getSession(db, id);
}

/** Ends one of the account's own sessions. */
export async function revokeSession(db: Kysely<Database>, session: Owned<SessionRow>): Promise<void> {
  await repo.deleteSession(db, session.user_id, session.id);
}

/** "Sign out everywhere": ends every session of the account but `keep` (the one asking); returns how many ended. */
export function revokeOtherSessions(db: Kysely<Database>, user: Pick<User, 'id'>, keep?: Pick<SessionRow, 'id'>): Promise<number> {
  return repo.deleteSessionsOf(db, user.id, keep?.id);
}
