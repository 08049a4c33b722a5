/**
 * The rules of accounts: who may have one (REGISTRATION, ALLOWED_EMAIL_DOMAINS), roles and suspension (never
 * the last active admin), and joining an email subscription made before sign-up. No HTTP, no SQL.
 */
import type { Kysely } from 'kysely';
import type { AccountsConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { findSubscriberByEmail } from '../subscriptions/subscriptions.repo.ts';
import * as repo from './accounts.repo.ts';
import { pruneEmailLinks } from './email-links.ts';
import { revokeOtherSessions } from './sessions.ts';
import { pruneSessions } from './sessions.repo.ts';
import { toUser, type User, type UserRole, type UserStatus } from './user.ts';

/** What account rules need: the store and the settings. */
export interface AccountContext {
  db: Kysely<Database>;
  accounts: AccountsConfig;
}

/** Whether an address may hold an account here (ALLOWED_EMAIL_DOMAINS; subdomains count). */
export function emailDomainAllowed(domains: string[], email: string): boolean {
  if (domains.length === 0) return true;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/** Why a new account cannot be made for an address, or undefined when it can. */
export function whyNoSignUp(accounts: AccountsConfig, email: string, invited: boolean): 'closed' | 'invite-only' | 'domain' | undefined {
  if (!emailDomainAllowed(accounts.allowedEmailDomains, email)) return 'domain';
  if (invited) return undefined;
  if (accounts.registration === 'closed') return 'closed';
  if (accounts.registration === 'invite') return 'invite-only';
  return undefined;
}

/** The account with this id, if any. */
export async function findUser(db: Kysely<Database>, id: number): Promise<User | undefined> {
  const row = await repo.getUser(db, id);
  return row && toUser(row);
}

/** The account with this address, if any. */
export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  const row = await repo.findUserByEmail(db, email.toLowerCase());
  return row && toUser(row);
}

/**
 * Makes an account directly (CLI, admin invitation accepted, sign-up through a proven address); registration
 * rules are the caller's. `created` is false when the address had one already (it is returned unchanged).
 */
export async function createUser(ctx: AccountContext, input: { email: string; role?: UserRole; displayName?: string | null; passwordHash?: string | null }, now = new Date()): Promise<{ user: User; created: boolean }> {
  const { user, created } = await repo.insertUser(ctx.db, { email: input.email.toLowerCase(), role: input.role ?? 'member', displayName: input.displayName, passwordHash: input.passwordHash, now: now.toISOString() });
  return { user: toUser(user), created };
}

/**
 * Joins the email subscription of the same address to an account whose address was just proven (a mailed
 * link used, a provider's verified address): only a confirmed (active) subscription, never someone's pending one.
 */
export async function joinSubscription(db: Kysely<Database>, user: User): Promise<User> {
  if (user.subscriberId !== null) return user;
  const sub = await findSubscriberByEmail(db, user.email);
  if (!sub || sub.status !== 'active') return user;
  await repo.updateUser(db, user.id, { subscriber_id: sub.id });
  return { ...user, subscriberId: sub.id };
}

/** Changes an account's role; 'last-admin' when that would leave no active admin. */
export async function setRole(ctx: AccountContext, actorId: number | null, target: User, role: UserRole, now = new Date()): Promise<'ok' | 'last-admin'> {
  if (target.role === role) return 'ok';
  if (target.role === 'admin' && target.status === 'active' && (await repo.countActiveAdmins(ctx.db)) <= 1) return 'last-admin';
  await repo.updateUser(ctx.db, target.id, { role });
  await repo.recordAudit(ctx.db, { actorUserId: actorId, action: 'user.role', targetType: 'user', targetId: target.id, detail: { from: target.role, to: role } }, now);
  return 'ok';
}

/** Suspends (ending every session) or reinstates an account; 'last-admin' when that would leave no active admin. */
export async function setStatus(ctx: AccountContext, actorId: number | null, target: User, status: UserStatus, now = new Date()): Promise<'ok' | 'last-admin'> {
  if (target.status === status) return 'ok';
  if (status === 'suspended' && target.role === 'admin' && (await repo.countActiveAdmins(ctx.db)) <= 1) return 'last-admin';
  await repo.updateUser(ctx.db, target.id, { status });
  if (status === 'suspended') await revokeOtherSessions(ctx.db, target);
  await repo.recordAudit(ctx.db, { actorUserId: actorId, action: status === 'suspended' ? 'user.suspend' : 'user.reinstate', targetType: 'user', targetId: target.id }, now);
  return 'ok';
}

/** Accounts by id, for the admin page and the CLI. */
export async function listUsers(db: Kysely<Database>, limit = 500, offset = 0): Promise<User[]> {
  return (await repo.listUsers(db, { limit, offset })).map(toUser);
}

/** Deletes expired sessions and mailed links a day past their expiry (run with the other housekeeping). */
export async function pruneExpiredSignIns(db: Kysely<Database>, now = new Date()): Promise<void> {
  await pruneSessions(db, now.toISOString());
  await pruneEmailLinks(db, new Date(now.getTime() - 86_400_000));
}
