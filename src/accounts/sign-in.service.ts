/**
 * The rules of signing in, with no HTTP: by a mailed link (which also signs a new address up, where
 * registration allows), by password, and resetting a password by mail. Every answer that concerns an address
 * is the same whether or not it has an account — what differs is only what the mailbox receives — and every
 * attempt is counted in the database (rate-limits.ts), per client and per address, so that guessing
 * passwords or flooding a mailbox stops at a limit shared by every process.
 */
import type { Kysely } from 'kysely';
import type { AccountsConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { hitRateLimit, type RateLimit, rateLimitClient } from '../subscriptions/rate-limits.ts';
import { enqueueLinkMail } from './account-mails.tsx';
import * as repo from './accounts.repo.ts';
import { createUser, joinSubscription, whyNoSignUp } from './accounts.service.ts';
import { checkEmailLink, consumeEmailLink, createEmailLink, type EmailLinkRow, linkData } from './email-links.ts';
import { hashPassword, needsRehash, passwordProblem, verifyNothing, verifyPassword } from './passwords.ts';
import { revokeOtherSessions } from './sessions.ts';
import { toUser, type User } from './user.ts';

/** Sign-in abuse limits, counted in the database. */
export const SIGN_IN_LIMITS = {
  /** Every sign-in attempt of one client (an IPv6 /64 is one): passwords, link and reset requests. */
  perClient: { max: 30, windowSeconds: 900 },
  /** Password attempts on one address, from anywhere: a spread-out guesser stops too (the mailed link still works). */
  passwordPerAddress: { max: 10, windowSeconds: 900 },
  /** Mails with a link to one address. */
  linkMailsPerAddress: { max: 3, windowSeconds: 900 },
  linkMailsPerAddressDaily: { max: 10, windowSeconds: 86400 },
} satisfies Record<string, RateLimit>;

/** What the sign-in rules need. */
export interface SignInContext {
  db: Kysely<Database>;
  accounts: AccountsConfig;
  key: string;
}

/** Counts one attempt of `client`; false past the limit. */
export function clientMayTry(ctx: SignInContext, client: string, now = new Date()): Promise<boolean> {
  return hitRateLimit(ctx.db, `sign-in-client:${rateLimitClient(client)}`, SIGN_IN_LIMITS.perClient, now);
}

async function mayMail(db: Kysely<Database>, email: string, now: Date): Promise<boolean> {
  const short = await hitRateLimit(db, `sign-in-mail:${email}`, SIGN_IN_LIMITS.linkMailsPerAddress, now);
  const daily = await hitRateLimit(db, `sign-in-mail-daily:${email}`, SIGN_IN_LIMITS.linkMailsPerAddressDaily, now);
  return short && daily;
}

/**
 * Asks for a sign-in link. An active account gets one; an address without an account gets a sign-up link when
 * registration lets it join, else nothing; a suspended account gets nothing. The caller shows the same page
 * whatever happened, except 'too-many' (this client's limit, which says nothing about the address).
 */
export async function requestSignInLink(ctx: SignInContext, req: { email: string; client: string; next?: string }, now = new Date()): Promise<'accepted' | 'too-many'> {
  if (!(await clientMayTry(ctx, req.client, now))) return 'too-many';
  const user = await repo.findUserByEmail(ctx.db, req.email);
  if (user ? user.status !== 'active' : whyNoSignUp(ctx.accounts, req.email, false)) return 'accepted';
  if (!(await mayMail(ctx.db, req.email, now))) return 'accepted';
  const link = await createEmailLink(ctx.db, { purpose: 'sign-in', email: req.email, userId: user?.id ?? null, data: { next: req.next } }, now);
  await enqueueLinkMail(ctx.db, link, { signUp: !user }, now);
  return 'accepted';
}

/** A checked sign-in link and the address it is for; undefined when invalid, expired or used. */
export function checkSignInLink(ctx: SignInContext, token: string, now = new Date()): Promise<EmailLinkRow | undefined> {
  return checkEmailLink(ctx.db, ctx.key, 'sign-in', token, now);
}

/**
 * Uses a sign-in link once: the account it was for, or a new one for its address (registration is checked
 * again now). The address is proven, so a confirmed email subscription of it joins the account.
 */
export async function useSignInLink(ctx: SignInContext, token: string, now = new Date()): Promise<{ user: User; created: boolean; next?: string } | 'invalid' | 'not-allowed'> {
  const link = await checkSignInLink(ctx, token, now);
  if (!link || !(await consumeEmailLink(ctx.db, link, now))) return 'invalid';
  let row = link.user_id !== null ? await repo.getUser(ctx.db, link.user_id) : await repo.findUserByEmail(ctx.db, link.email);
  let created = false;
  if (!row) {
    if (whyNoSignUp(ctx.accounts, link.email, false)) return 'not-allowed';
    ({ created } = await createUser(ctx, { email: link.email }, now));
    row = await repo.findUserByEmail(ctx.db, link.email);
  }
  if (!row || row.status !== 'active') return 'invalid';
  return { user: await joinSubscription(ctx.db, toUser(row)), created, next: linkData(link).next };
}

/** Signs in with a password; 'wrong' alike for an unknown address, a wrong password and an account without one. */
export async function signInWithPassword(ctx: SignInContext, req: { email: string; password: string; client: string }, now = new Date()): Promise<User | 'wrong' | 'too-many'> {
  if (!(await clientMayTry(ctx, req.client, now))) return 'too-many';
  if (!(await hitRateLimit(ctx.db, `sign-in-password:${req.email}`, SIGN_IN_LIMITS.passwordPerAddress, now))) return 'too-many';
  const row = await repo.findUserByEmail(ctx.db, req.email);
  if (!row?.password_hash || row.status !== 'active') return verifyNothing(req.password).then(() => 'wrong' as const);
  if (!(await verifyPassword(req.password, row.password_hash))) return 'wrong';
  if (needsRehash(row.password_hash)) await repo.updateUser(ctx.db, row.id, { password_hash: await hashPassword(req.password) });
  return toUser(row);
}

/** Asks for a password reset link: mailed only to an active account, the same answer otherwise. */
export async function requestPasswordReset(ctx: SignInContext, req: { email: string; client: string }, now = new Date()): Promise<'accepted' | 'too-many'> {
  if (!(await clientMayTry(ctx, req.client, now))) return 'too-many';
  const row = await repo.findUserByEmail(ctx.db, req.email);
  if (!row || row.status !== 'active' || !(await mayMail(ctx.db, req.email, now))) return 'accepted';
  const link = await createEmailLink(ctx.db, { purpose: 'reset', email: row.email, userId: row.id }, now);
  await enqueueLinkMail(ctx.db, link, {}, now);
  return 'accepted';
}

/** A checked reset link; undefined when invalid, expired or used. */
export function checkResetLink(ctx: SignInContext, token: string, now = new Date()): Promise<EmailLinkRow | undefined> {
  return checkEmailLink(ctx.db, ctx.key, 'reset', token, now);
}

/** Sets a new password through a reset link (once), ending every session of the account. */
export async function resetPassword(ctx: SignInContext, token: string, password: string, now = new Date()): Promise<User | 'invalid' | { problem: string }> {
  const link = await checkResetLink(ctx, token, now);
  if (!link || link.user_id === null) return 'invalid';
  const problem = passwordProblem(password, link.email);
  if (problem) return { problem };
  if (!(await consumeEmailLink(ctx.db, link, now))) return 'invalid';
  const row = await repo.getUser(ctx.db, link.user_id);
  if (!row || row.status !== 'active') return 'invalid';
  await repo.updateUser(ctx.db, row.id, { password_hash: await hashPassword(password), password_changed_at: now.toISOString() });
  await revokeOtherSessions(ctx.db, row);
  return joinSubscription(ctx.db, toUser({ ...row, password_hash: 'set' }));
}

/**
 * Sets or changes the signed-in account's password. An account that has one must give it (`current`);
 * every other session of the account ends, the one asking (`keepSessionId`) stays.
 */
export async function changePassword(ctx: SignInContext, user: User, req: { current?: string; password: string; keepSessionId?: number }, now = new Date()): Promise<'ok' | 'wrong-current' | { problem: string }> {
  const row = await repo.getUser(ctx.db, user.id);
  if (!row) return 'wrong-current';
  if (row.password_hash) {
    // A borrowed session must not become a way to guess the password: the address's limit applies here too.
    if (!(await hitRateLimit(ctx.db, `sign-in-password:${row.email}`, SIGN_IN_LIMITS.passwordPerAddress, now))) return 'wrong-current';
    if (!(await verifyPassword(req.current ?? '', row.password_hash))) return 'wrong-current';
  }
  const problem = passwordProblem(req.password, row.email);
  if (problem) return { problem };
  await repo.updateUser(ctx.db, row.id, { password_hash: await hashPassword(req.password), password_changed_at: now.toISOString() });
  await revokeOtherSessions(ctx.db, row, req.keepSessionId === undefined ? undefined : { id: req.keepSessionId });
  return 'ok';
}
