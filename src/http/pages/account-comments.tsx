/** GET /account/comments: the reader's own comments, newest first, and whether replies to them are mailed. */
import { commentAnchor } from '../../comments/reply-mail.tsx';
import { CSRF_FIELD } from '../csrf.ts';
import { paperUrl } from '../urls.ts';
import { AccountShell, formatWhen, Notice } from './account-parts.tsx';
import { Markup } from './markup.ts';

/** One of the reader's comments as the page lists it. */
export interface OwnComment {
  id: number;
  paper: { id: number; arxivId: string | null; title: string };
  body: string;
  createdAt: string;
  hidden: boolean;
}

/** The page. */
export function accountCommentsPage(p: { csrf: string; replyMails: boolean; comments: OwnComment[]; notice?: string }) {
  return (
    <AccountShell title="Your comments">
      {p.notice && <Notice kind="ok">{p.notice}</Notice>}
      <form class="form" method="post" action="/account/comments">
        <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
        <div class="field">
          <label>
            <input type="checkbox" name="reply_mails" value="on" checked={p.replyMails} /> Mail me when someone replies to one of my comments
          </label>
        </div>
        <button class="button" type="submit">
          Save
        </button>
      </form>
      <h2>{p.comments.length === 0 ? 'No comments yet' : p.comments.length === 1 ? '1 comment' : `${p.comments.length} most recent comments`}</h2>
      <ul class="own-comments">
        {p.comments.map((m) => (
          <li>
            <a href={`${paperUrl(m.paper)}#${commentAnchor(m.id)}`}>
              <Markup text={m.paper.title} title />
            </a>{' '}
            <span class="muted">
              {formatWhen(m.createdAt)}
              {m.hidden && ' · hidden by a moderator'}
            </span>
            <p class="muted-note">{m.body.length > 200 ? `${m.body.slice(0, 199)}…` : m.body}</p>
          </li>
        ))}
      </ul>
    </AccountShell>
  );
}
