/**
 * Invitations: an admin names an address and a role; the address gets a link (valid a week, single use) that
 * makes the account whatever REGISTRATION says — the way in when registration is `invite` (or `closed`, for
 * the few an admin lets in). ALLOWED_EMAIL_DOMAINS still applies.
 */
import * as repo from './accounts.repo.ts';
import { createUser, emailDomainAllowed, joinSubscription } from './accounts.service.ts';
import { enqueueLinkMail } from './account-mails.tsx';
import { checkEmailLink, consumeEmailLink, createEmailLink, type EmailLinkRow, linkData } from './email-links.ts';
import type { SignInContext } from './sign-in.service.ts';
import { toUser, type User, type UserRole } from './user.ts';

/** Mails an invitation; 'exists' when the address has an account, 'domain' outside ALLOWED_EMAIL_DOMAINS. */
export async function inviteUser(ctx: SignInContext, by: { userId: number | null; label: string }, email: string, role: UserRole, now = new Date()): Promise<'sent' | 'exists' | 'domain'> {
  if (!emailDomainAllowed(ctx.accounts.allowedEmailDomains, email)) return 'domain';
  if (await repo.findUserByEmail(ctx.db, email)) return 'exists';
  const link = await createEmailLink(ctx.db, { purpose: 'invite', email, userId: null, data: { role } }, now);
  await enqueueLinkMail(ctx.db, link, { invitedBy: by.label }, now);
  await repo.recordAudit(ctx.db, { actorUserId: by.userId, action: 'user.invite', targetType: 'email-link', targetId: link.id, detail: { email, role } }, now);
  return 'sent';
}

/** A checked invitation link; undefined when invalid, expired or used. */
export function checkInvite(ctx: SignInContext, token: string, now = new Date()): Promise<EmailLinkRow | undefined> {
  return checkEmailLink(ctx.db, ctx.key, 'invite', token, now);
}

/** Accepts an invitation once: the new account (or the address's account, if it made one meanwhile, unchanged). */
export async function acceptInvite(ctx: SignInContext, token: string, now = new Date()): Promise<User | 'invalid'> {
  const link = await checkInvite(ctx, token, now);
  if (!link || !emailDomainAllowed(ctx.accounts.allowedEmailDomains, link.email) || !(await consumeEmailLink(ctx.db, link, now))) return 'invalid';
  const { user } = await createUser(ctx, { email: link.email, role: linkData(link).role ?? 'member' }, now);
  const row = await repo.getUser(ctx.db, user.id);
  if (!row || row.status !== 'active') return 'invalid';
  return joinSubscription(ctx.db, toUser(row));
}
