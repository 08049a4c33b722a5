/**
 * Single-use links mailed to an address: sign in (or finish signing up), reset a password, accept an
 * invitation. A row in `email_links` holds a random salt; the link is `<id>.<expiry>.<HMAC(secret key,
 * purpose, id, expiry, salt)>` (subscriptions/tokens.ts), so the table alone opens nothing, and using the
 * link sets `used_at` in the same statement that checks it was unset — a link works once, even when two
 * requests race.
 */
import type { Kysely, Selectable } from 'kysely';
import type { EmailLinkPurpose, EmailLinksTable } from '../db/schema.accounts.ts';
import type { Database } from '../db/schema.ts';
import { parseToken, signToken, verifyToken } from '../subscriptions/tokens.ts';
import { newSecret } from './secrets.ts';

/** An email link row as stored. */
export type EmailLinkRow = Selectable<EmailLinksTable>;

/** How long each kind of link works: sign-in and reset links 15 minutes, invitations a week. */
export const LINK_MINUTES: Record<EmailLinkPurpose, number> = { 'sign-in': 15, reset: 15, invite: 7 * 24 * 60 };

/** What a link carries besides its purpose: where to go after signing in, the role an invitation grants. */
export interface LinkData {
  next?: string;
  role?: 'admin' | 'member';
}

/** Stores a new link for `email` (and the account it is for, when there is one). */
export async function createEmailLink(db: Kysely<Database>, link: { purpose: EmailLinkPurpose; email: string; userId: number | null; data?: LinkData }, now = new Date()): Promise<EmailLinkRow> {
  return db
    .insertInto('email_links')
    .values({
      purpose: link.purpose,
      email: link.email,
      user_id: link.userId,
      salt: newSecret(16),
      data: JSON.stringify(link.data ?? {}),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + LINK_MINUTES[link.purpose] * 60_000).toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The token that goes into the mailed URL. */
export function emailLinkToken(key: string, link: EmailLinkRow): string {
  return signToken(key, link.purpose, link.id, { expires: Math.floor(Date.parse(link.expires_at) / 1000), nonce: link.salt });
}

/** The link row a token belongs to, when it is genuine, for this purpose, unexpired and unused. */
export async function checkEmailLink(db: Kysely<Database>, key: string, purpose: EmailLinkPurpose, token: string, now = new Date()): Promise<EmailLinkRow | undefined> {
  const parsed = parseToken(token);
  if (!parsed) return undefined;
  const link = await db.selectFrom('email_links').selectAll().where('id', '=', parsed.id).executeTakeFirst();
  if (!link || link.purpose !== purpose || link.used_at !== null || Date.parse(link.expires_at) <= now.getTime()) return undefined;
  return verifyToken(key, purpose, parsed, { nonce: link.salt, now }) ? link : undefined;
}

/** Marks a checked link used; false when it was used meanwhile (the other request wins). */
export async function consumeEmailLink(db: Kysely<Database>, link: EmailLinkRow, now = new Date()): Promise<boolean> {
  const r = await db.updateTable('email_links').set({ used_at: now.toISOString() }).where('id', '=', link.id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** What a link row carries (an unreadable value carries nothing). */
export function linkData(link: EmailLinkRow): LinkData {
  try {
    const v = JSON.parse(link.data) as LinkData;
    return { next: typeof v.next === 'string' ? v.next : undefined, role: v.role === 'admin' ? 'admin' : v.role === 'member' ? 'member' : undefined };
  } catch {
    return {};
  }
}

/** A link row by id (for rendering its mail). */
export function getEmailLink(db: Kysely<Database>, id: number): Promise<EmailLinkRow | undefined> {
  return db.selectFrom('email_links').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Deletes links that expired before `before`. */
export async function pruneEmailLinks(db: Kysely<Database>, before: Date): Promise<number> {
  return Number((await db.deleteFrom('email_links').where('expires_at', '<', before.toISOString()).executeTakeFirst()).numDeletedRows);
}
