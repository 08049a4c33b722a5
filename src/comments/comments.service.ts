/**
 * The rules of comments: a reply answers a comment of the same paper; only its author edits or deletes a
 * comment (functions that take `Owned<CommentRow>`); commenting is rate limited per account; a deleted
 * comment loses its text at once but keeps its place while it has replies; hidden comments and those of
 * suspended accounts are shown to nobody; a reply queues a mail to the parent's author unless they opted
 * out. No HTTP here.
 */
import { type Owned, type User, userLabel } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import { hitRateLimit, type RateLimit } from '../subscriptions/rate-limits.ts';
import * as repo from './comments.repo.ts';
import { RENDER_VERSION, renderCommentMarkdown } from './markdown.ts';
import { enqueueReplyMail } from './reply-mail.tsx';

export type { CommentRow } from './comments.repo.ts';
type CommentRow = repo.CommentRow;

/** How much and how fast an account may write. */
export const COMMENT_LIMITS = {
  /** Characters of Markdown in one comment. */
  body: 10_000,
  perMinute: { max: 5, windowSeconds: 60 } satisfies RateLimit,
  perDay: { max: 100, windowSeconds: 86_400 } satisfies RateLimit,
  editsPerMinute: { max: 10, windowSeconds: 60 } satisfies RateLimit,
};

/** How a comment shows in its thread. */
export type CommentState = 'visible' | 'hidden' | 'deleted';

/** A comment as a thread shows it; `body` and `html` only while it is visible. */
export interface CommentView {
  id: number;
  paperId: number;
  parentId: number | null;
  author: { id: number; name: string };
  createdAt: string;
  editedAt: string | null;
  state: CommentState;
  body?: string;
  html?: string;
  /** Whether `html` holds typeset math. */
  math?: boolean;
  replies: CommentView[];
}

/** A paper's comments as threads, oldest first. */
export interface Thread {
  comments: CommentView[];
  /** Visible comments. */
  count: number;
  /** Whether any visible comment holds typeset math. */
  math: boolean;
}

/**
 * A body rendered for storing with it: the typesetting is paid once, by the author's (signed-in, rate-limited)
 * request, never by the readers' page loads.
 */
function rendered(body: string): repo.RenderedBody {
  return { ...renderCommentMarkdown(body), version: RENDER_VERSION };
}

/** The comment with this id, whoever wrote it; callers check with `ownedOr404` or show it through a thread. */
export function findComment(db: Db, id: number): Promise<CommentRow | undefined> {
  return repo.getComment(db.kysely, id);
}

/** Comments by id, for the per-reader controls of a page. */
export function findComments(db: Db, ids: number[]): Promise<CommentRow[]> {
  return repo.getComments(db.kysely, ids);
}

/** Whether a comment may be answered (it exists, on that paper, and is shown). */
function answerable(parent: CommentRow | undefined, paperId: number): parent is CommentRow {
  return parent !== undefined && parent.paper_id === paperId && parent.deleted_at === null && parent.hidden_at === null;
}

/** Posts a comment or a reply; 'no-parent' when the comment answered is not one of this paper's shown comments. */
export async function postComment(db: Db, user: Pick<User, 'id'>, input: { paperId: number; parentId?: number; body: string }, now = new Date()): Promise<CommentRow | 'no-parent' | 'rate-limited'> {
  const parent = input.parentId === undefined ? undefined : await repo.getComment(db.kysely, input.parentId);
  if (input.parentId !== undefined && !answerable(parent, input.paperId)) return 'no-parent';
  for (const [name, limit] of [['min', COMMENT_LIMITS.perMinute], ['day', COMMENT_LIMITS.perDay]] as const) {
    if (!(await hitRateLimit(db.kysely, `comment:${name}:${user.id}`, limit, now))) return 'rate-limited';
  }
  const html = rendered(input.body);
  return db.kysely.transaction().execute(async (trx) => {
    const made = await repo.insertComment(trx, { paperId: input.paperId, userId: user.id, parentId: parent?.id ?? null, body: input.body, rendered: html, now: now.toISOString() });
    if (parent && parent.user_id !== user.id && (await repo.replyMailsOn(trx, parent.user_id))) await enqueueReplyMail(trx, made, parent, now);
    return made;
  });
}

/** Replaces the text of one's own comment: 'deleted' when it was deleted meanwhile. */
export async function editComment(db: Db, c: Owned<CommentRow>, body: string, now = new Date()): Promise<'ok' | 'deleted' | 'rate-limited'> {
  if (!(await hitRateLimit(db.kysely, `comment:edit:${c.user_id}`, COMMENT_LIMITS.editsPerMinute, now))) return 'rate-limited';
  return (await repo.updateBody(db.kysely, { id: c.id, userId: c.user_id }, body, rendered(body), now.toISOString())) ? 'ok' : 'deleted';
}

/** Deletes one's own comment: its text is erased, its place kept while it has replies. */
export async function deleteComment(db: Db, c: Owned<CommentRow>, now = new Date()): Promise<void> {
  await repo.markDeleted(db.kysely, { id: c.id, userId: c.user_id }, now.toISOString());
}

/** Hides a comment from everyone, or shows it again (moderation.service.ts records who did it); whether it changed. */
export function setHidden(db: Db, commentId: number, hidden: boolean, actorId: number | null, now = new Date()): Promise<boolean> {
  return repo.setHidden(db.kysely, commentId, hidden ? { at: now.toISOString(), by: actorId } : null);
}

function stateOf(row: repo.CommentWithAuthor): CommentState {
  if (row.deleted_at !== null) return 'deleted';
  if (row.hidden_at !== null || row.author_status !== 'active') return 'hidden';
  return 'visible';
}

/** A comment row as a thread (or the API) shows it, without its replies. */
export function commentView(row: repo.CommentWithAuthor): CommentView {
  const state = stateOf(row);
  const view: CommentView = {
    id: row.id,
    paperId: row.paper_id,
    parentId: row.parent_id,
    author: { id: row.user_id, name: userLabel({ displayName: row.author_display_name, email: row.author_email }) },
    createdAt: row.created_at,
    editedAt: row.edited_at,
    state,
    replies: [],
  };
  if (state === 'visible') {
    view.body = row.body;
    // Stored when written; rendered here only for rows from before migration 0015 or an older renderer.
    const current = row.html !== null && row.html_version === RENDER_VERSION;
    const shown = current ? { html: row.html!, math: row.html_math === 1 } : renderCommentMarkdown(row.body);
    view.html = shown.html;
    view.math = shown.math;
  }
  return view;
}

/** A paper's comments as threads: what is not shown and has no shown reply is left out. */
export async function threadOf(db: Db, paperId: number): Promise<Thread> {
  const rows = await repo.commentsOfPaper(db.kysely, paperId);
  const views = new Map(rows.map((r) => [r.id, commentView(r)]));
  const roots: CommentView[] = [];
  for (const v of views.values()) {
    const parent = v.parentId === null ? undefined : views.get(v.parentId);
    (parent ? parent.replies : roots).push(v);
  }
  let count = 0;
  let math = false;
  // Keeps a comment that is shown, or that has a shown reply somewhere below it (its place in the thread).
  const prune = (list: CommentView[]): CommentView[] =>
    list.filter((v) => {
      v.replies = prune(v.replies);
      if (v.state === 'visible') {
        count++;
        math ||= v.math === true;
      }
      return v.state === 'visible' || v.replies.length > 0;
    });
  return { comments: prune(roots), count, math };
}

/** One comment as shown (undefined when it does not exist or is not on show), for the API. */
export async function commentAsShown(db: Db, id: number): Promise<CommentView | undefined> {
  const row = await repo.commentWithAuthor(db.kysely, id);
  return row ? commentView(row) : undefined;
}

/** An account's own recent comments (its account page lists them). */
export function commentsOf(db: Db, user: Pick<User, 'id'>, limit = 100) {
  return repo.commentsOfUser(db.kysely, user.id, limit);
}

/** Whether an account gets a mail when someone answers its comment. */
export function replyMailsWanted(db: Db, userId: number): Promise<boolean> {
  return repo.replyMailsOn(db.kysely, userId);
}

/** Turns reply mails on or off for the account. */
export function setReplyMails(db: Db, user: Pick<User, 'id'>, on: boolean, now = new Date()): Promise<void> {
  return repo.setReplyMails(db.kysely, user.id, on, now.toISOString());
}
