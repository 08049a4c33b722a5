/** All SQL of comments (tables `comments` and `comment_settings`). */
import type { Kysely, Selectable } from 'kysely';
import type { CommentsTable } from '../db/schema.collections.ts';
import type { Database } from '../db/schema.ts';

/** A comment as stored. */
export type CommentRow = Selectable<CommentsTable>;

/** A comment with what a thread shows of its author. */
export interface CommentWithAuthor extends CommentRow {
  author_email: string;
  author_display_name: string | null;
  author_status: 'active' | 'suspended';
}

/** A body's HTML as stored with it (comments/markdown.ts). */
export interface RenderedBody {
  html: string;
  math: boolean;
  version: number;
}

function renderedColumns(r: RenderedBody) {
  return { html: r.html, html_version: r.version, html_math: r.math ? 1 : 0 };
}

/** The comment with this id, if any. */
export function getComment(db: Kysely<Database>, id: number): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Comments by id (for the per-reader buttons of a page: whose each one is). */
export async function getComments(db: Kysely<Database>, ids: number[]): Promise<CommentRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('comments').selectAll().where('id', 'in', ids).execute();
}

/** Inserts a comment and returns it. */
export function insertComment(db: Kysely<Database>, c: { paperId: number; userId: number; parentId: number | null; body: string; rendered: RenderedBody; now: string }): Promise<CommentRow> {
  return db
    .insertInto('comments')
    .values({ paper_id: c.paperId, user_id: c.userId, parent_id: c.parentId, body: c.body, ...renderedColumns(c.rendered), created_at: c.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Replaces the text of an author's comment that is not deleted; whether it was changed. */
export async function updateBody(db: Kysely<Database>, c: { id: number; userId: number }, body: string, rendered: RenderedBody, now: string): Promise<boolean> {
  const r = await db.updateTable('comments').set({ body, ...renderedColumns(rendered), edited_at: now }).where('id', '=', c.id).where('user_id', '=', c.userId).where('deleted_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Marks an author's comment deleted and erases its text. */
export async function markDeleted(db: Kysely<Database>, c: { id: number; userId: number }, now: string): Promise<void> {
  await db.updateTable('comments').set({ body: '', html: null, html_version: null, html_math: 0, deleted_at: now }).where('id', '=', c.id).where('user_id', '=', c.userId).execute();
}

/** Hides (with who did it) or shows again a comment; whether it changed. */
export async function setHidden(db: Kysely<Database>, id: number, hidden: { at: string; by: number | null } | null): Promise<boolean> {
  const q = db.updateTable('comments').set(hidden ? { hidden_at: hidden.at, hidden_by: hidden.by } : { hidden_at: null, hidden_by: null }).where('id', '=', id);
  const r = await (hidden ? q.where('hidden_at', 'is', null) : q.where('hidden_at', 'is not', null)).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

function withAuthor(db: Kysely<Database>) {
  return db
    .selectFrom('comments')
    .innerJoin('users', 'users.id', 'comments.user_id')
    .selectAll('comments')
    .select(['users.email as author_email', 'users.display_name as author_display_name', 'users.status as author_status']);
}

/** Every comment of a paper, oldest first (a thread is small: its page shows all of it). */
export function commentsOfPaper(db: Kysely<Database>, paperId: number): Promise<CommentWithAuthor[]> {
  return withAuthor(db).where('comments.paper_id', '=', paperId).orderBy('comments.id').execute();
}

/** One comment with its author. */
export function commentWithAuthor(db: Kysely<Database>, id: number): Promise<CommentWithAuthor | undefined> {
  return withAuthor(db).where('comments.id', '=', id).executeTakeFirst();
}

/** The newest comments of the whole site (the moderators' page), deleted ones left out. */
export async function recentComments(db: Kysely<Database>, limit: number, offset: number): Promise<{ rows: (CommentWithAuthor & { paper_title: string; paper_arxiv_id: string | null })[]; total: number }> {
  const rows = await withAuthor(db)
    .innerJoin('papers', 'papers.id', 'comments.paper_id')
    .select(['papers.title as paper_title', 'papers.arxiv_id as paper_arxiv_id'])
    .where('comments.deleted_at', 'is', null)
    .orderBy('comments.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  const total = await db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

/** An account's own comments, newest first, with their papers (its "your comments" page). */
export function commentsOfUser(db: Kysely<Database>, userId: number, limit: number): Promise<(CommentRow & { paper_title: string; paper_arxiv_id: string | null })[]> {
  return db
    .selectFrom('comments')
    .innerJoin('papers', 'papers.id', 'comments.paper_id')
    .selectAll('comments')
    .select(['papers.title as paper_title', 'papers.arxiv_id as paper_arxiv_id'])
    .where('comments.user_id', '=', userId)
    .where('comments.deleted_at', 'is', null)
    .orderBy('comments.id', 'desc')
    .limit(limit)
    .execute();
}

/** Whether an account wants reply mails (no row: yes). */
export async function replyMailsOn(db: Kysely<Database>, userId: number): Promise<boolean> {
  const row = await db.selectFrom('comment_settings').select('reply_mails').where('user_id', '=', userId).executeTakeFirst();
  return row ? row.reply_mails === 1 : true;
}

/** Records an account's choice about reply mails. */
export async function setReplyMails(db: Kysely<Database>, userId: number, on: boolean, now: string): Promise<void> {
  await db
    .insertInto('comment_settings')
    .values({ user_id: userId, reply_mails: on ? 1 : 0, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ reply_mails: on ? 1 : 0, updated_at: now }))
    .execute();
}
