/**
 * The comment threads of a paper page, as every reader sees them: rendered once into the shared (cached)
 * page. What differs per reader — the form to write one, the Reply / Edit / Delete buttons, a moderator's
 * Hide — are user slots (comment-slots.tsx) filled for signed-in readers only. A comment's HTML comes from
 * comments/markdown.ts (sanitized, math typeset); everything else is escaped by JSX.
 */
import { raw } from 'hono/html';
import type { CommentView, Thread } from '../../comments/comments.service.ts';
import { commentAnchor } from '../../comments/reply-mail.tsx';
import { paperUrl } from '../urls.ts';
import { formatWhen } from './account-parts.tsx';
import { CommentFormSlot, CommentToolsSlot } from './comment-slots.tsx';

function CommentItem({ comment }: { comment: CommentView }) {
  const anchor = commentAnchor(comment.id);
  return (
    <li>
      <article class="comment" id={anchor} aria-label={comment.state === 'visible' ? `Comment by ${comment.author.name}` : 'Comment'}>
        {comment.state === 'visible' ? (
          <>
            <p class="comment-meta">
              <strong>{comment.author.name}</strong> ·{' '}
              <a href={`#${anchor}`}>
                <time datetime={comment.createdAt}>{formatWhen(comment.createdAt)}</time>
              </a>
              {comment.editedAt && <span title={formatWhen(comment.editedAt)}> · edited</span>}
            </p>
            {/* markdown.ts: raw HTML refused, sanitized by an allowlist, KaTeX's markup added after. */}
            <div class="comment-body">{raw(comment.html ?? '')}</div>
            <CommentToolsSlot commentId={comment.id} />
          </>
        ) : (
          <p class="comment-gone">{comment.state === 'deleted' ? 'This comment was deleted.' : 'This comment is hidden.'}</p>
        )}
        {comment.replies.length > 0 && (
          <ol>
            {comment.replies.map((r) => (
              <CommentItem comment={r} />
            ))}
          </ol>
        )}
      </article>
    </li>
  );
}

/** Comments a paper page shows at most (oldest threads first): a page stays a few MB however much is written. */
export const COMMENTS_ON_PAGE = 150;

/** The first `max` comments of the threads in reading order, replies kept under what they answer. */
function firstOf(list: CommentView[], max: number): { list: CommentView[]; shown: number } {
  let shown = 0;
  const take = (items: CommentView[]): CommentView[] => {
    const out: CommentView[] = [];
    for (const item of items) {
      if (shown >= max) break;
      shown++;
      out.push({ ...item, replies: take(item.replies) });
    }
    return out;
  };
  return { list: take(list), shown };
}

/** The comments section of a paper page: the threads, then the form to start one. */
export function CommentsSection({ paper, thread }: { paper: { id: number; arxivId: string | null }; thread: Thread }) {
  const { list, shown } = firstOf(thread.comments, COMMENTS_ON_PAGE);
  const total = countAll(thread.comments);
  return (
    <section class="comments" id="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">{thread.count === 0 ? 'Comments' : thread.count === 1 ? '1 comment' : `${thread.count} comments`}</h2>
      {thread.comments.length === 0 ? (
        <p class="muted">No comments yet.</p>
      ) : (
        <ol class="comment-list">
          {list.map((c) => (
            <CommentItem comment={c} />
          ))}
        </ol>
      )}
      {shown < total && (
        <p class="muted-note">
          The first {shown} of {total} comments are shown here; all of them are at <a href={`/api${paperUrl(paper)}/comments`}>/api{paperUrl(paper)}/comments</a>.
        </p>
      )}
      <CommentFormSlot paperId={paper.id} back={paperUrl(paper)} />
    </section>
  );
}

function countAll(list: CommentView[]): number {
  return list.reduce((n, c) => n + 1 + countAll(c.replies), 0);
}
