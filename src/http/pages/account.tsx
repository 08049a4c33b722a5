/** GET /account: the reader's account — profile, password, email subscription, active sessions, API tokens. */
import type { ApiTokenRow } from '../../accounts/api-tokens.ts';
import type { SessionRow } from '../../accounts/sessions.ts';
import type { User } from '../../accounts/user.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { AccountShell, formatWhen, Notice, PasswordField } from './account-parts.tsx';
import { FieldError } from './subscribe.tsx';

/** What the account page shows. */
export interface AccountPageProps {
  csrf: string;
  user: User;
  currentSessionId?: number;
  sessions: SessionRow[];
  tokens: ApiTokenRow[];
  /** Providers this account can sign in through. */
  identities: { issuer: string }[];
  /** The signed preferences link of the joined email subscription. */
  subscriptionUrl?: string;
  notice?: string;
  errors?: Record<string, string>;
  /** A token just made: shown this once. */
  newToken?: { name: string; token: string };
}

const METHOD: Record<SessionRow['method'], string> = { password: 'password', 'email-link': 'email link', oidc: 'single sign-on', reset: 'password reset' };

/** A short, recognisable name for a browser from its User-Agent. */
function browserName(ua: string | null): string {
  if (!ua) return 'Unknown browser';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\/|Chromium\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : /curl\//.test(ua) ? 'curl' : ua.slice(0, 40);
  const os = /Windows/.test(ua) ? 'Windows' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} on ${os}` : browser;
}

/** The page. */
export function accountPage(p: AccountPageProps) {
  const errors = p.errors ?? {};
  const csrf = <input type="hidden" name={CSRF_FIELD} value={p.csrf} />;
  return (
    <AccountShell title="Your account" wide>
      {p.notice && <Notice kind="ok">{p.notice}</Notice>}
      {errors[''] && <Notice kind="warn">{errors['']}</Notice>}
      <p>
        Signed in as <strong>{p.user.email}</strong>
        {p.user.role === 'admin' && (
          <>
            {' '}
            · administrator (<a href="/admin/users">manage accounts</a>, <a href="/admin/comments">moderate comments</a>)
          </>
        )}
      </p>
      <p>
        <a href="/collections">Your collections</a> · <a href="/account/comments">Your comments and reply mails</a>
      </p>

      <h2 id="profile">Profile</h2>
      <form class="form" method="post" action="/account/profile">
        {csrf}
        <div class="field">
          <label for="display_name">Name shown to others</label>
          <input type="text" id="display_name" name="display_name" maxlength={80} value={p.user.displayName ?? ''} aria-describedby="display_name-hint" />
          <p class="hint" id="display_name-hint">
            Empty shows the part of your address before the @.
          </p>
          <FieldError id="display_name" error={errors.display_name} />
        </div>
        <button class="button secondary" type="submit">
          Save
        </button>
      </form>

      <h2 id="password-settings">{p.user.hasPassword ? 'Change your password' : 'Set a password'}</h2>
      {!p.user.hasPassword && <p>You sign in by email{p.identities.length ? ' or single sign-on' : ''}. A password lets you sign in without opening your mail.</p>}
      <form class="form" method="post" action="/account/password">
        {csrf}
        <input type="text" name="username" autocomplete="username" value={p.user.email} hidden />
        {p.user.hasPassword && <PasswordField id="current" label="Current password" autocomplete="current-password" error={errors.current} />}
        <PasswordField id="password" label={p.user.hasPassword ? 'New password' : 'Password'} autocomplete="new-password" error={errors.password} />
        <button class="button" type="submit">
          {p.user.hasPassword ? 'Change password' : 'Set password'}
        </button>
        <p class="hint">Your other sessions are signed out.</p>
      </form>

      <h2 id="subscription">Email digest</h2>
      {p.subscriptionUrl ? (
        <p>
          Your subscription of {p.user.email} is part of this account. <a href={p.subscriptionUrl}>Digest and alerts</a>
        </p>
      ) : (
        <p>
          No email subscription for {p.user.email}. <a href="/subscribe">Subscribe</a>; once you confirm it, it joins this account.
        </p>
      )}

      <h2 id="sessions">Where you are signed in</h2>
      <div class="table-scroll">
        <table class="records">
          <thead>
            <tr>
              <th>Browser</th>
              <th>Signed in</th>
              <th>Last seen</th>
              <th>From</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {p.sessions.map((s) => (
              <tr>
                <td>
                  {browserName(s.user_agent)} {s.id === p.currentSessionId && <span class="badge current">this browser</span>}
                </td>
                <td>
                  {formatWhen(s.created_at)} by {METHOD[s.method] ?? s.method}
                </td>
                <td>{formatWhen(s.last_seen_at)}</td>
                <td>{s.client ?? '—'}</td>
                <td>
                  <form method="post" action={`/account/sessions/${s.id}/revoke`}>
                    {csrf}
                    <button class="small-button" type="submit">
                      {s.id === p.currentSessionId ? 'Sign out' : 'Sign out this session'}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="form" method="post" action="/account/sessions/others">
        {csrf}
        <button class="button secondary" type="submit">
          Sign out everywhere else
        </button>
      </form>

      <h2 id="tokens">Personal API tokens</h2>
      <p>
        A token lets a script act as you on the JSON API: send it as <code>Authorization: Bearer pb_…</code>. It is shown once, when you make it; Paperboy keeps only its
        hash.
      </p>
      {p.newToken && (
        <div class="notice ok" role="status">
          <p>
            Your new token “{p.newToken.name}” — copy it now, it will not be shown again:
          </p>
          <p class="new-token" id="new-token">
            {p.newToken.token}
          </p>
        </div>
      )}
      {p.tokens.length > 0 && (
        <div class="table-scroll">
          <table class="records">
            <thead>
              <tr>
                <th>Name</th>
                <th>Starts with</th>
                <th>Made</th>
                <th>Last used</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {p.tokens.map((t) => (
                <tr>
                  <td>{t.name}</td>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>{formatWhen(t.created_at)}</td>
                  <td>{formatWhen(t.last_used_at)}</td>
                  <td>
                    <form method="post" action={`/account/tokens/${t.id}/revoke`}>
                      {csrf}
                      <button class="small-button danger" type="submit">
                        Revoke
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form class="form" method="post" action="/account/tokens">
        {csrf}
        <div class="field">
          <label for="token_name">Name of a new token</label>
          <input type="text" id="token_name" name="name" maxlength={100} placeholder="e.g. laptop script" required />
          <FieldError id="token_name" error={errors.token} />
        </div>
        <button class="button secondary" type="submit">
          Make a token
        </button>
      </form>

      <h2 id="your-data">Your data</h2>
      <p>
        Everything Paperboy keeps about you — your account, votes, reading list, follows, collections and notes, comments, subscription, sessions and tokens (without
        their secrets) — as one JSON file, to keep or to take elsewhere.
      </p>
      <p>
        <a class="button secondary" href="/account/export" download>
          Download my data (JSON)
        </a>
      </p>
    </AccountShell>
  );
}
