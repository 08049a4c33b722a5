/**
 * The mails of accounts — a sign-in (or sign-up) link, a password reset link, an invitation — queued in the
 * mail outbox like subscription mails, so with no SMTP configured they land as .eml files (/admin/outbox).
 * The outbox row holds only the link's id: the URL is made when the mail is rendered, from the row's salt
 * and the secret key, and a link used or expired meanwhile cancels its mail.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { MailOutboxTable } from '../db/schema.subscriptions.ts';
import type { Database } from '../db/schema.ts';
import { MailButton, MailLink, MailShell, renderMailHtml } from '../mail/mail-layout.tsx';
import type { OutgoingMail } from '../mail/mailer.ts';
import { enqueueMessages, type OutboxRow } from '../mail/outbox.repo.ts';
import { emailLinkToken, type EmailLinkRow, getEmailLink, LINK_MINUTES } from './email-links.ts';

/** The outbox kinds of account mails. */
export type AccountMailKind = Extract<MailOutboxTable['kind'], `account-${string}`>;

/** Where each kind of link opens. */
export const LINK_PATHS = { 'sign-in': '/signin/link/', reset: '/signin/reset/', invite: '/signin/invite/' } as const;

/** Whether an outbox row is an account mail (rendered here, not by the subscription side). */
export function isAccountMail(row: Pick<OutboxRow, 'kind'>): boolean {
  return row.kind.startsWith('account-');
}

/** Queues the mail that carries `link`, to its account or (sign-up) to its bare address. */
export async function enqueueLinkMail(db: Kysely<Database>, link: EmailLinkRow, extra: { signUp?: boolean; invitedBy?: string } = {}, now = new Date()): Promise<void> {
  const kind: AccountMailKind = link.purpose === 'sign-in' ? 'account-sign-in' : link.purpose === 'reset' ? 'account-reset' : 'account-invite';
  await enqueueMessages(db, [{ key: `${kind}:${link.id}:${randomUUID()}`, kind, userId: link.user_id, toAddress: link.user_id === null ? link.email : null, payload: { linkId: link.id, ...extra }, dueAt: now }], now);
}

/** What rendering an account mail needs. */
export interface AccountMailContext {
  db: Kysely<Database>;
  baseUrl: string;
  key: string;
  now: Date;
}

/** The mail for an account outbox row, or `{ cancel }` when its link was used or expired, or its account suspended. */
export async function renderAccountMail(ctx: AccountMailContext, row: OutboxRow): Promise<OutgoingMail | { cancel: string }> {
  const payload = JSON.parse(row.payload) as { linkId?: number; signUp?: boolean; invitedBy?: string };
  const link = payload.linkId ? await getEmailLink(ctx.db, payload.linkId) : undefined;
  if (!link || link.used_at !== null || Date.parse(link.expires_at) <= ctx.now.getTime()) return { cancel: 'link used or expired' };
  let to = row.to_address ?? link.email;
  if (row.user_id !== null) {
    const user = await ctx.db.selectFrom('users').select(['email', 'status']).where('id', '=', row.user_id).executeTakeFirst();
    if (!user || user.status !== 'active') return { cancel: 'account suspended or deleted' };
    to = user.email;
  }
  const url = ctx.baseUrl + LINK_PATHS[link.purpose] + emailLinkToken(ctx.key, link);
  const words = wording(link, payload);
  const minutes = LINK_MINUTES[link.purpose];
  const validity = minutes >= 1440 ? `${minutes / 1440} days` : `${minutes} minutes`;
  const html = renderMailHtml(
    <MailShell title={words.subject} preheader={words.lead} baseUrl={ctx.baseUrl} footer={<p style="margin:0;">{words.ignore}</p>}>
      <p style="margin:0 0 12px;">{words.lead}</p>
      <MailButton href={url}>{words.button}</MailButton>
      <p style="margin:0;font-size:13px;">
        The link works once and for {validity}. If the button does not work, open this address: <MailLink href={url}>{url}</MailLink>
      </p>
    </MailShell>,
  );
  const text = [words.lead, '', `${words.button}:`, url, '', `The link works once and for ${validity}.`, words.ignore].join('\n');
  return { key: row.idempotency_key, to, subject: words.subject, html, text };
}

function wording(link: EmailLinkRow, payload: { signUp?: boolean; invitedBy?: string }) {
  const ignore = 'Did not ask for this? Ignore this mail: nothing happens unless the link is used.';
  if (link.purpose === 'reset') return { subject: 'Reset your Paperboy password', lead: `Someone — hopefully you — asked to reset the password of ${link.email}.`, button: 'Choose a new password', ignore };
  if (link.purpose === 'invite') {
    const who = payload.invitedBy ? `${payload.invitedBy} invited you` : 'You are invited';
    return { subject: 'You are invited to Paperboy', lead: `${who} to make an account on Paperboy with ${link.email}.`, button: 'Accept the invitation', ignore };
  }
  if (payload.signUp) return { subject: 'Finish signing up to Paperboy', lead: `Someone — hopefully you — asked to make a Paperboy account for ${link.email}.`, button: 'Create my account', ignore };
  return { subject: 'Sign in to Paperboy', lead: `Someone — hopefully you — asked to sign in to Paperboy as ${link.email}.`, button: 'Sign in', ignore };
}
