/**
 * The reader's parts of a paper page's comments, as user slots (user-slots.tsx): the shared page holds a
 * "sign in to comment" link and nothing under each comment; a signed-in reader gets the form to comment,
 * a Reply form under every comment, Edit and Delete under their own, and — for an admin — Hide and Suspend.
 * One query for all the comments of a page (whose each one is, and its text for the edit form). Plain forms
 * with the CSRF field: it all works without JavaScript.
 */
import type { Context } from 'hono';
import { isAdmin, type User } from '../../accounts/user.ts';
import { findComments, type CommentRow } from '../../comments/comments.service.ts';
import { COMMENT_LIMITS } from '../../comments/comments.service.ts';
import { signInUrl } from '../auth.ts';
import { commentUrls } from '../content-urls.ts';
import { CSRF_FIELD, csrfToken } from '../csrf.ts';
import { defineUserSlot, UserSlot } from '../user-slots.tsx';

const HINT = 'Markdown: *emphasis*, `code`, [links](https://…), lists, > quotes. Math in $…$ or $$…$$.';

/** Where forms on this page send the reader back to. */
function here(c: Context): string {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

/** The textarea and button of a comment form (new comment, reply, edit). */
export function CommentFields({ id, label, value = '', button, rows = 4 }: { id: string; label: string; value?: string; button: string; rows?: number }) {
  return (
    <>
      <label for={id}>{label}</label>
      <textarea id={id} name="body" rows={rows} required maxlength={COMMENT_LIMITS.body} aria-describedby={`${id}-hint`}>
        {value}
      </textarea>
      <p class="muted-note" id={`${id}-hint`}>
        {HINT}
      </p>
      <button type="submit" class="small-button">
        {button}
      </button>
    </>
  );
}

function Csrf({ csrf }: { csrf: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={csrf} />;
}

/** Reply, Edit, Delete, Hide, Suspend: what this reader may do with this comment. */
function CommentTools({ row, user, csrf, back }: { row: CommentRow; user: User; csrf: string; back: string }) {
  const own = row.user_id === user.id;
  return (
    <div class="comment-actions">
      <details>
        <summary>Reply</summary>
        <form method="post" action={commentUrls.create} class="comment-form">
          <Csrf csrf={csrf} />
          <input type="hidden" name="paper" value={String(row.paper_id)} />
          <input type="hidden" name="parent" value={String(row.id)} />
          <CommentFields id={`reply-${row.id}`} label="Your reply" button="Reply" rows={3} />
        </form>
      </details>
      {own && (
        <details>
          <summary>Edit</summary>
          <form method="post" action={commentUrls.edit(row.id)} class="comment-form">
            <Csrf csrf={csrf} />
            <CommentFields id={`edit-${row.id}`} label="Your comment" value={row.body} button="Save the change" />
          </form>
        </details>
      )}
      {own && (
        <form method="post" action={commentUrls.delete(row.id)} class="inline-form">
          <Csrf csrf={csrf} />
          <button type="submit" class="link-button">
            Delete
          </button>
        </form>
      )}
      {isAdmin(user) && (
        <form method="post" action={commentUrls.moderate(row.id, 'hide')} class="inline-form">
          <Csrf csrf={csrf} />
          <input type="hidden" name="back" value={back} />
          <button type="submit" class="link-button">
            Hide (moderator)
          </button>
        </form>
      )}
      {isAdmin(user) && !own && (
        <form method="post" action={commentUrls.moderate(row.id, 'suspend-author')} class="inline-form">
          <Csrf csrf={csrf} />
          <input type="hidden" name="back" value={back} />
          <button type="submit" class="link-button">
            Suspend the author
          </button>
        </form>
      )}
    </div>
  );
}

/** Under each shown comment: the reader's tools (one query for every comment of the page). */
export const commentToolsSlot = defineUserSlot({
  name: 'comment-tools',
  async render({ c, user, ids, db }) {
    const rows = await findComments(db, ids.map(Number).filter(Number.isSafeInteger));
    const csrf = csrfToken(c);
    const back = here(c);
    return new Map(rows.map((row) => [String(row.id), String(<CommentTools row={row} user={user} csrf={csrf} back={back} />)]));
  },
});

/** The form that starts a thread on a paper (id: the paper's numeric id). */
export const commentFormSlot = defineUserSlot({
  name: 'comment-form',
  render({ c, ids }) {
    const csrf = csrfToken(c);
    return new Map(
      ids
        .filter((id) => /^\d{1,10}$/.test(id))
        .map((id) => [
          id,
          String(
            <form method="post" action={commentUrls.create} class="comment-form new-comment">
              <Csrf csrf={csrf} />
              <input type="hidden" name="paper" value={id} />
              <CommentFields id="new-comment" label="Add a comment" button="Comment" />
            </form>,
          ),
        ]),
    );
  },
});

/** The slot under a comment: nothing in the shared page. */
export function CommentToolsSlot({ commentId }: { commentId: number }) {
  return <UserSlot slot={commentToolsSlot} id={String(commentId)} />;
}

/** The new-comment form's place: a link to sign in in the shared page, the form once filled. */
export function CommentFormSlot({ paperId, back }: { paperId: number; back: string }) {
  return (
    <UserSlot slot={commentFormSlot} id={String(paperId)}>
      <p class="muted-note">
        <a href={signInUrl(back)}>Sign in</a> to comment.
      </p>
    </UserSlot>
  );
}
