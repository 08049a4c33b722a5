/** All SQL of accounts (table `users`), their single sign-on identities and the audit log. */
import type { Kysely } from 'kysely';
import type { UserRole, UserStatus } from '../db/schema.accounts.ts';
import type { Database } from '../db/schema.ts';
import { forgetSessionsOf } from './session-cache.ts';
import type { UserRow } from './user.ts';

/** The account with this id, if any. */
export function getUser(db: Kysely<Database>, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The account with this (lower-cased) address, if any. */
export function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Creates an account, or returns the one a concurrent request made first with the same address (`created` false). */
export async function insertUser(
  db: Kysely<Database>,
  u: { email: string; role: UserRole; displayName?: string | null; passwordHash?: string | null; now: string },
): Promise<{ user: UserRow; created: boolean }> {
  const inserted = await db
    .insertInto('users')
    .values({ email: u.email, role: u.role, display_name: u.displayName ?? null, password_hash: u.passwordHash ?? null, password_changed_at: u.passwordHash ? u.now : null, created_at: u.now })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { user: inserted, created: true };
  return { user: (await findUserByEmail(db, u.email))!, created: false };
}

/** Changes columns of one account; its sessions as remembered in memory are forgotten (role, status, name show at once). */
export async function updateUser(
  db: Kysely<Database>,
  id: number,
  patch: Partial<Pick<UserRow, 'role' | 'status' | 'display_name' | 'password_hash' | 'password_changed_at' | 'subscriber_id'>>,
): Promise<void> {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
  forgetSessionsOf(id);
}

/** Accounts by id, for the admin page and `paperboy users list`. */
export function listUsers(db: Kysely<Database>, opts: { limit: number; offset?: number }): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('id').limit(opts.limit).offset(opts.offset ?? 0).execute();
}

/** How many accounts have each role and status. */
export async function countUsers(db: Kysely<Database>): Promise<{ role: UserRole; status: UserStatus; n: number }[]> {
  const rows = await db.selectFrom('users').select(['role', 'status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['role', 'status']).execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** How many active admins there are (the last one cannot be demoted or suspended). */
export async function countActiveAdmins(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').where('status', '=', 'active').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The account an OpenID Connect identity belongs to, if it is linked. */
export async function findUserByIdentity(db: Kysely<Database>, issuer: string, subject: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('user_identities')
    .innerJoin('users', 'users.id', 'user_identities.user_id')
    .selectAll('users')
    .where('user_identities.issuer', '=', issuer)
    .where('user_identities.subject', '=', subject)
    .executeTakeFirst();
}

/** Links an OpenID Connect identity to an account (nothing when it is linked already). */
export async function linkIdentity(db: Kysely<Database>, i: { issuer: string; subject: string; userId: number; email: string | null; now: string }): Promise<void> {
  await db
    .insertInto('user_identities')
    .values({ issuer: i.issuer, subject: i.subject, user_id: i.userId, email: i.email, created_at: i.now })
    .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
    .execute();
}

/** The issuers an account can sign in through. */
export async function identitiesOf(db: Kysely<Database>, userId: number): Promise<{ issuer: string; email: string | null }[]> {
  return db.selectFrom('user_identities').select(['issuer', 'email']).where('user_id', '=', userId).orderBy('created_at').execute();
}

/** One entry of the audit log. */
export interface AuditEntry {
  actorUserId: number | null;
  action: string;
  targetType: string;
  targetId: number | null;
  detail?: Record<string, unknown>;
}

/** Appends to the audit log. */
export async function recordAudit(db: Kysely<Database>, e: AuditEntry, now = new Date()): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ at: now.toISOString(), actor_user_id: e.actorUserId, action: e.action, target_type: e.targetType, target_id: e.targetId, detail: JSON.stringify(e.detail ?? {}) })
    .execute();
}
