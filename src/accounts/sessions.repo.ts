/**
 * All SQL of sessions (table `sessions`): one row per signed-in browser, found by the hash of its cookie.
 * Every delete forgets what session-cache.ts remembers of the rows it removed, once it is done.
 */
import type { Kysely, Selectable } from 'kysely';
import type { SessionMethod, SessionsTable } from '../db/schema.accounts.ts';
import { plainSelect } from '../db/plain-sql.ts';
import type { Database } from '../db/schema.ts';
import { forgetSessionHash, forgetSessionsOf } from './session-cache.ts';
import type { UserRow } from './user.ts';

/** A session row as stored. */
export type SessionRow = Selectable<SessionsTable>;

/** A new session's columns. */
export interface NewSession {
  userId: number;
  tokenHash: string;
  method: SessionMethod;
  userAgent: string | null;
  client: string | null;
  now: string;
  expiresAt: string;
}

/** Stores a session and returns it. */
export async function insertSession(db: Kysely<Database>, s: NewSession): Promise<SessionRow> {
  return db
    .insertInto('sessions')
    .values({ user_id: s.userId, token_hash: s.tokenHash, method: s.method, user_agent: s.userAgent, client: s.client, created_at: s.now, last_seen_at: s.now, expires_at: s.expiresAt })
    .returningAll()
    .executeTakeFirstOrThrow();
}

// Written out (plain-sql.ts): it runs for every signed-in request, and Kysely's building and compiling of
// the join cost more than the indexed lookup itself.
const LIVE_SESSION =
  'SELECT users.*, sessions.id AS session_id, sessions.created_at AS session_created_at, sessions.last_seen_at, sessions.expires_at, sessions.method, sessions.user_agent, sessions.client' +
  " FROM sessions INNER JOIN users ON users.id = sessions.user_id WHERE sessions.token_hash = ? AND sessions.expires_at > ? AND users.status = 'active'";

type LiveSessionRow = UserRow & { session_id: number; session_created_at: string } & Pick<SessionRow, 'last_seen_at' | 'expires_at' | 'method' | 'user_agent' | 'client'>;

/** The unexpired session with this token hash and its account, when the account is active. One query, per request. */
export async function findLiveSession(db: Kysely<Database>, tokenHash: string, now: string): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const [row] = await plainSelect<LiveSessionRow>(db, LIVE_SESSION, [tokenHash, now]);
  if (!row) return undefined;
  const { session_id, session_created_at, last_seen_at, expires_at, method, user_agent, client, ...user } = row;
  const session: SessionRow = { id: session_id, user_id: user.id, token_hash: tokenHash, created_at: session_created_at, last_seen_at, expires_at, method, user_agent, client };
  return { session, user };
}

/** Notes that a session was used (called at most every few minutes per session). */
export async function touchSession(db: Kysely<Database>, id: number, now: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

/** One session by id, whoever's it is (the caller checks ownership with `ownedBy`). */
export async function getSession(db: Kysely<Database>, id: number): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An account's unexpired sessions, most recently used first. */
export async function listSessions(db: Kysely<Database>, userId: number, now: string): Promise<SessionRow[]> {
  return db.selectFrom('sessions').selectAll().where('user_id', '=', userId).where('expires_at', '>', now).orderBy('last_seen_at', 'desc').orderBy('id', 'desc').execute();
}

/** Deletes one session of an account (the user id is part of the condition: no id of another's deletes anything). */
export async function deleteSession(db: Kysely<Database>, userId: number, id: number): Promise<boolean> {
  const r = await db.deleteFrom('sessions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  forgetSessionsOf(userId);
  return Number(r.numDeletedRows) === 1;
}

/** Deletes the session with this token hash (signing out; rotation at sign-in). */
export async function deleteSessionByHash(db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  forgetSessionHash(tokenHash);
}

/** Deletes every session of an account, but `keepId` when given; returns how many went. */
export async function deleteSessionsOf(db: Kysely<Database>, userId: number, keepId?: number): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepId !== undefined) q = q.where('id', '<>', keepId);
  const deleted = Number((await q.executeTakeFirst()).numDeletedRows);
  forgetSessionsOf(userId);
  return deleted;
}

/** Deletes sessions that expired before `now`. */
export async function pruneSessions(db: Kysely<Database>, now: string): Promise<number> {
  return Number((await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst()).numDeletedRows);
}
