/**
 * What administrators do about people's content: hide a comment (or show it again) and suspend the account
 * that wrote one, each recorded in the audit log with who did it (null: the admin token or the CLI), and the
 * paginated log itself. Suspension itself is the accounts layer's (accounts.service.ts#setStatus, which
 * audits `user.suspend`); a suspended account's comments are then shown to nobody (comments.service.ts).
 */
import { recordAudit } from '../accounts/accounts.repo.ts';
import { type AccountContext, findUser, setStatus } from '../accounts/accounts.service.ts';
import type { User } from '../accounts/user.ts';
import { recentComments } from '../comments/comments.repo.ts';
import * as comments from '../comments/comments.service.ts';
import type { AccountsConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { auditEntries } from './moderation.repo.ts';

/** Entries per page of the audit log and the moderators' comment list. */
export const AUDIT_PAGE = 50;

/** Hides or shows again a comment, audited as comment.hide / comment.unhide. */
export async function hideComment(db: Db, actor: Pick<User, 'id'> | null, commentId: number, action: 'hide' | 'unhide', now = new Date()): Promise<'ok' | 'unchanged' | 'not-found'> {
  const target = await comments.findComment(db, commentId);
  if (!target) return 'not-found';
  if (!(await comments.setHidden(db, commentId, action === 'hide', actor?.id ?? null, now))) return 'unchanged';
  await recordAudit(db.kysely, { actorUserId: actor?.id ?? null, action: `comment.${action}`, targetType: 'comment', targetId: commentId, detail: { paperId: target.paper_id, authorId: target.user_id } }, now);
  return 'ok';
}

/** Suspends the account that wrote a comment (setStatus audits it): 'last-admin' when that would leave no active admin. */
export async function suspendAuthor(db: Db, accounts: AccountsConfig, actor: Pick<User, 'id'> | null, commentId: number, now = new Date()): Promise<'ok' | 'not-found' | 'last-admin'> {
  const target = await comments.findComment(db, commentId);
  const author = target && (await findUser(db.kysely, target.user_id));
  if (!author) return 'not-found';
  const ctx: AccountContext = { db: db.kysely, accounts };
  return setStatus(ctx, actor?.id ?? null, author, 'suspended', now);
}

/** An audit entry as the audit page shows it. */
export interface AuditEntryView {
  id: number;
  at: string;
  action: string;
  targetType: string;
  targetId: number | null;
  /** The acting account's address; null for the admin token and the CLI. */
  actor: string | null;
  detail: Record<string, unknown>;
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** One page of the audit log, newest first. */
export async function auditPage(db: Db, page: number): Promise<{ entries: AuditEntryView[]; total: number; pageCount: number }> {
  const { rows, total } = await auditEntries(db.kysely, AUDIT_PAGE, (page - 1) * AUDIT_PAGE);
  const entries = rows.map((r) => ({ id: r.id, at: r.at, action: r.action, targetType: r.target_type, targetId: r.target_id, actor: r.actor_email, detail: parseDetail(r.detail) }));
  return { entries, total, pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE)) };
}

/** A comment as the moderators' list shows it: text included, hidden or not. */
export interface ModeratedComment {
  id: number;
  paper: { id: number; arxivId: string | null; title: string };
  authorId: number;
  authorEmail: string;
  authorSuspended: boolean;
  body: string;
  createdAt: string;
  state: 'visible' | 'hidden';
}

/** One page of the site's newest comments for moderators. */
export async function recentCommentsPage(db: Db, page: number): Promise<{ comments: ModeratedComment[]; total: number; pageCount: number }> {
  const { rows, total } = await recentComments(db.kysely, AUDIT_PAGE, (page - 1) * AUDIT_PAGE);
  return {
    comments: rows.map((r) => ({
      id: r.id,
      paper: { id: r.paper_id, arxivId: r.paper_arxiv_id, title: r.paper_title },
      authorId: r.user_id,
      authorEmail: r.author_email,
      authorSuspended: r.author_status !== 'active',
      body: r.body,
      createdAt: r.created_at,
      state: r.hidden_at !== null ? 'hidden' : 'visible',
    })),
    total,
    pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE)),
  };
}
