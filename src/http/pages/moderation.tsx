/**
 * The moderators' pages: GET /admin/comments (the site's newest comments, hidden ones too, with Hide / Show
 * again / Suspend the author) and GET /admin/audit (every moderation and account action, newest first, with
 * who did it). Comment text is shown as the Markdown its author wrote, as text: a moderator reads exactly
 * what was written, nothing of it rendered.
 */
import type { AuditEntryView, ModeratedComment } from '../../moderation/moderation.service.ts';
import { commentAnchor } from '../../comments/reply-mail.tsx';
import { commentUrls } from '../content-urls.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { paperUrl } from '../urls.ts';
import { AccountShell, formatWhen, Notice } from './account-parts.tsx';
import { Pager } from './list-parts.tsx';
import { Markup } from './markup.ts';
import { assetUrl } from '../assets/assets.ts';

/** Where the moderators' pages are. */
export const MODERATION_PATHS = { comments: '/admin/comments', audit: '/admin/audit' };

function AdminLinks() {
  return (
    <p class="lede">
      <a href="/admin/users">Accounts</a> · <a href={MODERATION_PATHS.comments}>Comments</a> · <a href={MODERATION_PATHS.audit}>Audit log</a> · <a href="/admin">Admin</a>
    </p>
  );
}

/** What the comments page shows. */
export interface ModerationPageProps {
  csrf: string;
  comments: ModeratedComment[];
  page: number;
  pageCount: number;
  total: number;
  notice?: string;
  error?: string;
}

function Action({ csrf, id, action, label, danger }: { csrf: string; id: number; action: 'hide' | 'unhide' | 'suspend-author'; label: string; danger?: boolean }) {
  return (
    <form method="post" action={commentUrls.moderate(id, action)} class="inline-form">
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      <input type="hidden" name="back" value={MODERATION_PATHS.comments} />
      <button type="submit" class={`small-button${danger ? ' danger' : ''}`}>
        {label}
      </button>
    </form>
  );
}

/** GET /admin/comments. */
export function moderationPage(p: ModerationPageProps) {
  return (
    <AccountShell title="Comments" wide>
      <link rel="stylesheet" href={assetUrl('people.css')} />
      <AdminLinks />
      {p.notice && <Notice kind="ok">{p.notice}</Notice>}
      {p.error && <Notice kind="warn">{p.error}</Notice>}
      <p>
        {p.total === 1 ? '1 comment' : `${p.total} comments`}, newest first. A hidden comment is shown to nobody; suspending its author signs them out everywhere and hides all
        their comments. Each action is in the <a href={MODERATION_PATHS.audit}>audit log</a>.
      </p>
      <div class="table-scroll">
        <table class="records moderation">
          <thead>
            <tr>
              <th>When</th>
              <th>Author</th>
              <th>Paper</th>
              <th>Comment</th>
              <th>State and actions</th>
            </tr>
          </thead>
          <tbody>
            {p.comments.map((m) => (
              <tr id={commentAnchor(m.id)}>
                <td>{formatWhen(m.createdAt)}</td>
                <td>
                  {m.authorEmail}
                  {m.authorSuspended && (
                    <>
                      {' '}
                      <span class="badge suspended">suspended</span>
                    </>
                  )}
                </td>
                <td>
                  <a href={`${paperUrl(m.paper)}#${commentAnchor(m.id)}`}>
                    <Markup text={m.paper.title} title />
                  </a>
                </td>
                <td>
                  <span class="body">{m.body}</span>
                </td>
                <td>
                  <div class="moderation-actions">
                  <span class={`badge ${m.state === 'hidden' ? 'suspended' : ''}`}>{m.state}</span>{' '}
                  {m.state === 'visible' ? <Action csrf={p.csrf} id={m.id} action="hide" label="Hide" /> : <Action csrf={p.csrf} id={m.id} action="unhide" label="Show again" />}{' '}
                  {!m.authorSuspended && <Action csrf={p.csrf} id={m.id} action="suspend-author" label="Suspend author" danger />}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={p.page} pageCount={p.pageCount} href={(n) => `${MODERATION_PATHS.comments}?page=${n}`} />
    </AccountShell>
  );
}

const ACTION_WORDS: Record<string, string> = {
  'comment.hide': 'hid a comment',
  'comment.unhide': 'showed a comment again',
  'user.suspend': 'suspended an account',
  'user.reinstate': 'reinstated an account',
  'user.role': 'changed a role',
};

function Target({ e }: { e: AuditEntryView }) {
  if (e.targetType === 'comment' && e.targetId !== null) {
    const paperId = typeof e.detail.paperId === 'number' ? e.detail.paperId : undefined;
    return paperId === undefined ? <>comment {e.targetId}</> : <a href={`${paperUrl({ id: paperId, arxivId: null })}#${commentAnchor(e.targetId)}`}>comment {e.targetId}</a>;
  }
  if (e.targetType === 'user' && e.targetId !== null) return <a href="/admin/users">account {e.targetId}</a>;
  return (
    <>
      {e.targetType} {e.targetId ?? ''}
    </>
  );
}

/** GET /admin/audit. */
export function auditPage(p: { entries: AuditEntryView[]; page: number; pageCount: number; total: number }) {
  return (
    <AccountShell title="Audit log" wide>
      <link rel="stylesheet" href={assetUrl('people.css')} />
      <AdminLinks />
      <p>{p.total === 1 ? '1 entry' : `${p.total} entries`}, newest first: what administrators did to comments and accounts, and who did it.</p>
      <div class="table-scroll">
        <table class="records">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Target</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {p.entries.map((e) => (
              <tr>
                <td>{formatWhen(e.at)}</td>
                <td>{e.actor ?? <span class="muted">admin token or CLI</span>}</td>
                <td>
                  <code>{e.action}</code> <span class="muted">{ACTION_WORDS[e.action] ?? ''}</span>
                </td>
                <td>
                  <Target e={e} />
                </td>
                <td class="audit-detail">{Object.keys(e.detail).length > 0 ? JSON.stringify(e.detail) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={p.page} pageCount={p.pageCount} href={(n) => `${MODERATION_PATHS.audit}?page=${n}`} />
    </AccountShell>
  );
}
