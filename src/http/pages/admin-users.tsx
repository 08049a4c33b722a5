/** GET /admin/users: every account with its role and status, an invitation form, and the registration settings. */
import type { AccountsConfig } from '../../config.ts';
import type { User } from '../../accounts/user.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { AccountShell, formatWhen, Notice } from './account-parts.tsx';

/** What the page shows. */
export interface AdminUsersPageProps {
  csrf: string;
  users: (User & { lastSignInAt: string | null })[];
  /** The account looking at the page (it cannot suspend or demote itself here). */
  meId?: number;
  accounts: AccountsConfig;
  notice?: string;
  error?: string;
}

const REGISTRATION = { open: 'anyone can make an account with an email link', invite: 'new accounts by invitation only', closed: 'no new accounts (invitations still work)' };

/** The page. */
export function adminUsersPage(p: AdminUsersPageProps) {
  const csrf = <input type="hidden" name={CSRF_FIELD} value={p.csrf} />;
  return (
    <AccountShell title="Accounts" wide>
      {p.notice && <Notice kind="ok">{p.notice}</Notice>}
      {p.error && <Notice kind="warn">{p.error}</Notice>}
      <p class="lede">
        Registration is <strong>{p.accounts.registration}</strong>: {REGISTRATION[p.accounts.registration]}
        {p.accounts.allowedEmailDomains.length > 0 && `, for addresses at ${p.accounts.allowedEmailDomains.join(', ')}`}
        {p.accounts.oidc && `; single sign-on through ${p.accounts.oidc.name}`}. Set with REGISTRATION and ALLOWED_EMAIL_DOMAINS. <a href="/admin/outbox">Outbox</a>
      </p>

      <h2 id="invite">Invite someone</h2>
      <form class="form" method="post" action="/admin/users/invite">
        {csrf}
        <div class="field">
          <label for="invite-email">Email address</label>
          <input type="email" id="invite-email" name="email" required />
        </div>
        <div class="field">
          <label for="invite-role">Role</label>
          <select id="invite-role" name="role">
            <option value="member" selected>
              member
            </option>
            <option value="admin">admin</option>
          </select>
        </div>
        <button class="button" type="submit">
          Send the invitation
        </button>
      </form>

      <h2 id="accounts">{p.users.length === 1 ? '1 account' : `${p.users.length} accounts`}</h2>
      <div class="table-scroll">
        <table class="records">
          <thead>
            <tr>
              <th>Email</th>
              <th>Name</th>
              <th>Role</th>
              <th>Status</th>
              <th>Since</th>
              <th>Last sign-in</th>
            </tr>
          </thead>
          <tbody>
            {p.users.map((u) => (
              <tr>
                <td>{u.email}</td>
                <td>{u.displayName ?? ''}</td>
                <td>
                  <form method="post" action={`/admin/users/${u.id}/role`}>
                    {csrf}
                    <label class="sr-only" for={`role-${u.id}`}>
                      Role of {u.email}
                    </label>
                    <select id={`role-${u.id}`} name="role">
                      <option value="member" selected={u.role === 'member'}>
                        member
                      </option>
                      <option value="admin" selected={u.role === 'admin'}>
                        admin
                      </option>
                    </select>
                    <button class="small-button" type="submit">
                      Change
                    </button>
                  </form>
                </td>
                <td>
                  <span class={`badge ${u.status === 'suspended' ? 'suspended' : ''}`}>{u.status}</span>{' '}
                  {u.id !== p.meId && (
                    <form method="post" action={`/admin/users/${u.id}/status`}>
                      {csrf}
                      <input type="hidden" name="status" value={u.status === 'active' ? 'suspended' : 'active'} />
                      <button class={`small-button ${u.status === 'active' ? 'danger' : ''}`} type="submit">
                        {u.status === 'active' ? 'Suspend' : 'Reinstate'}
                      </button>
                    </form>
                  )}
                </td>
                <td>{formatWhen(u.createdAt)}</td>
                <td>{formatWhen(u.lastSignInAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </AccountShell>
  );
}
