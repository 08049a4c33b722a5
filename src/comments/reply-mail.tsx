/**
 * The mail that tells a comment's author someone replied, queued in the mail outbox with the reply (one
 * per reply: its id is the idempotency key) and rendered when it is sent: a reply deleted or hidden
 * meanwhile, an author who opted out or was suspended, cancels it. The reply is quoted as the Markdown its
 * author wrote, as text: mail clients get no HTML from another reader.
 */
import type { Kysely } from 'kysely';
import { userLabel } from '../accounts/user.ts';
import type { Database } from '../db/schema.ts';
import { MailButton, MailLink, MailShell, MAIL_STYLE, renderMailHtml } from '../mail/mail-layout.tsx';
import type { OutgoingMail } from '../mail/mailer.ts';
import { enqueueMessages, type OutboxRow } from '../mail/outbox.repo.ts';
import { latexToText } from '../papers/latex-text.ts';
import { paperUrl } from '../urls.ts';
import type { CommentRow } from './comments.repo.ts';
import { commentWithAuthor, getComment, replyMailsOn } from './comments.repo.ts';

/** The outbox kind of reply mails. */
export const REPLY_MAIL_KIND = 'comment-reply';
/** Where an account turns reply mails off. */
export const COMMENT_SETTINGS_PATH = '/account/comments';
const QUOTE = 2_000;

/** The anchor of a comment on its paper's page. */
export function commentAnchor(id: number): string {
  return `comment-${id}`;
}

/** Whether an outbox row is a reply mail. */
export function isReplyMail(row: Pick<OutboxRow, 'kind'>): boolean {
  return row.kind === REPLY_MAIL_KIND;
}

/** Queues the mail about `reply` to the author of `parent` (in the transaction that posts the reply). */
export async function enqueueReplyMail(db: Kysely<Database>, reply: CommentRow, parent: CommentRow, now: Date): Promise<void> {
  await enqueueMessages(db, [{ key: `${REPLY_MAIL_KIND}:${reply.id}`, kind: REPLY_MAIL_KIND, userId: parent.user_id, payload: { commentId: reply.id }, dueAt: now }], now);
}

/** The mail for a reply-mail outbox row, or `{ cancel }` when it should no longer go. */
export async function renderReplyMail(ctx: { db: Kysely<Database>; baseUrl: string }, row: OutboxRow): Promise<OutgoingMail | { cancel: string }> {
  const { commentId } = JSON.parse(row.payload) as { commentId?: number };
  const reply = commentId === undefined ? undefined : await commentWithAuthor(ctx.db, commentId);
  if (!reply || reply.deleted_at !== null || reply.hidden_at !== null || reply.author_status !== 'active') return { cancel: 'reply deleted or hidden' };
  const parent = reply.parent_id === null ? undefined : await getComment(ctx.db, reply.parent_id);
  const to = row.user_id === null ? undefined : await ctx.db.selectFrom('users').select(['email', 'status']).where('id', '=', row.user_id).executeTakeFirst();
  if (!parent || !to || to.status !== 'active') return { cancel: 'parent or its author gone' };
  if (!(await replyMailsOn(ctx.db, row.user_id!))) return { cancel: 'reply mails turned off' };
  const paper = await ctx.db.selectFrom('papers').select(['id', 'arxiv_id', 'title']).where('id', '=', reply.paper_id).executeTakeFirst();
  if (!paper) return { cancel: 'paper gone' };

  const who = userLabel({ displayName: reply.author_display_name, email: reply.author_email });
  const title = latexToText(paper.title);
  const url = `${ctx.baseUrl}${paperUrl({ id: paper.id, arxivId: paper.arxiv_id })}#${commentAnchor(reply.id)}`;
  const settings = ctx.baseUrl + COMMENT_SETTINGS_PATH;
  const quote = reply.body.length > QUOTE ? `${reply.body.slice(0, QUOTE)}…` : reply.body;
  const subject = `${who} replied to your comment on “${title.length > 80 ? `${title.slice(0, 79)}…` : title}”`;
  const html = renderMailHtml(
    <MailShell
      title={subject}
      preheader={quote.slice(0, 120)}
      baseUrl={ctx.baseUrl}
      footer={
        <p style="margin:0;">
          You get this because you commented on Paperboy. <MailLink href={settings}>Turn reply mails off</MailLink>.
        </p>
      }
    >
      <p style="margin:0 0 12px;">
        {who} replied to your comment on <strong>{title}</strong>:
      </p>
      <blockquote style={`margin:0 0 12px;padding:8px 12px;border-left:3px solid ${MAIL_STYLE.border};color:${MAIL_STYLE.text};white-space:pre-wrap;`}>{quote}</blockquote>
      <MailButton href={url}>See the thread</MailButton>
    </MailShell>,
  );
  const text = [`${who} replied to your comment on “${title}”:`, '', ...quote.split('\n').map((l) => `> ${l}`), '', `See the thread: ${url}`, '', `Turn reply mails off: ${settings}`].join('\n');
  return { key: row.idempotency_key, to: to.email, subject, html, text };
}
