/** Pages of signing in: the sign-in page, "check your inbox", a mailed link's button, password reset, invitations. */
import { CSRF_FIELD } from '../csrf.ts';
import { AccountShell, EmailField, Notice, PasswordField } from './account-parts.tsx';

/** What the sign-in page offers. */
export interface SignInPageProps {
  csrf: string;
  /** Where to go afterwards (already made safe). */
  next: string;
  email?: string;
  /** A problem with the last attempt, shown above the forms. */
  error?: string;
  notice?: string;
  /** The single sign-on button's provider name, when OIDC is configured. */
  sso?: string;
  /** Whether an unknown address may make an account by email link. */
  signUpOpen: boolean;
}

/** GET /signin: mail me a link, or a password, or single sign-on. */
export function signInPage({ csrf, next, email, error, notice, sso, signUpOpen }: SignInPageProps) {
  const nextField = next !== '/' && <input type="hidden" name="next" value={next} />;
  return (
    <AccountShell title="Sign in">
      {error && <Notice kind="warn">{error}</Notice>}
      {notice && <Notice kind="ok">{notice}</Notice>}
      <div class="sign-in-options">
        {sso && (
          <section aria-labelledby="sso-title">
            <h2 id="sso-title">Single sign-on</h2>
            <a class="button sso-button" href={`/signin/oidc${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>
              Sign in with {sso}
            </a>
          </section>
        )}
        <section aria-labelledby="link-title">
          <h2 id="link-title">{signUpOpen ? 'Sign in or sign up by email' : 'Sign in by email'}</h2>
          <form class="form" method="post" action="/signin/link">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            {nextField}
            <EmailField value={email} />
            <button class="button" type="submit">
              Email me a sign-in link
            </button>
          </form>
          <p class="hint">{signUpOpen ? 'New here? The link creates your account.' : 'New accounts are by invitation.'} It works once, for 15 minutes.</p>
        </section>
        <section aria-labelledby="password-title">
          <h2 id="password-title">Sign in with a password</h2>
          <form class="form" method="post" action="/signin/password">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            {nextField}
            <div class="field">
              <label for="password-email">Email address</label>
              <input type="email" id="password-email" name="email" autocomplete="username" required value={email ?? ''} />
            </div>
            <PasswordField id="password" label="Password" autocomplete="current-password" />
            <button class="button" type="submit">
              Sign in
            </button>
          </form>
          <p class="hint">
            No password yet, or forgot it? <a href="/signin/forgot">Reset it by email</a>, or sign in by email and set one on your account page.
          </p>
        </section>
      </div>
    </AccountShell>
  );
}

/** After asking for a link: the same words whatever the address's state. */
export function checkInboxPage(email: string, what: 'sign-in' | 'reset') {
  return (
    <AccountShell title="Check your inbox">
      <Notice kind="ok">
        If {email} can {what === 'reset' ? 'have its password reset' : 'sign in here'}, a message with a link is on its way.
      </Notice>
      <p>The link works once and for 15 minutes.</p>
      <p class="muted">No mail after a few minutes? Look in the spam folder, or ask again.</p>
    </AccountShell>
  );
}

/** A mailed link opened: a button, since following a link must change nothing (mail scanners follow links too). */
export function linkButtonPage({ csrf, action, email, signUp }: { csrf: string; action: string; email: string; signUp: boolean }) {
  return (
    <AccountShell title={signUp ? 'Create your account' : 'Sign in'}>
      <p>{signUp ? `Make a Paperboy account for ${email}?` : `Sign in as ${email}?`}</p>
      <form class="form" method="post" action={action}>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <button class="button" type="submit">
          {signUp ? 'Create my account' : 'Sign in'}
        </button>
      </form>
    </AccountShell>
  );
}

/** A mailed link that is invalid, expired or used. */
export function badLinkPage() {
  return (
    <AccountShell title="This link no longer works">
      <p>Links in Paperboy mails work once and for a short time (15 minutes; invitations a week). Ask for a new one.</p>
      <p>
        <a href="/signin">Sign in</a>
      </p>
    </AccountShell>
  );
}

/** GET /signin/forgot. */
export function forgotPage({ csrf, error }: { csrf: string; error?: string }) {
  return (
    <AccountShell title="Reset your password">
      <p>We mail you a link to choose a new password. Signing in by email works without one, too.</p>
      <form class="form" method="post" action="/signin/forgot">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <EmailField error={error} />
        <button class="button" type="submit">
          Email me a reset link
        </button>
      </form>
    </AccountShell>
  );
}

/** GET /signin/reset/<token>: choose a new password. */
export function resetPage({ csrf, action, email, error }: { csrf: string; action: string; email: string; error?: string }) {
  return (
    <AccountShell title="Choose a new password">
      <p>For {email}. Every other session of this account is signed out.</p>
      <form class="form" method="post" action={action}>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <input type="text" name="username" autocomplete="username" value={email} hidden />
        <PasswordField id="password" label="New password" autocomplete="new-password" error={error} />
        <button class="button" type="submit">
          Save the new password
        </button>
      </form>
    </AccountShell>
  );
}

/** GET /signin/invite/<token>: accept an invitation. */
export function invitePage({ csrf, action, email, role }: { csrf: string; action: string; email: string; role: 'admin' | 'member' }) {
  return (
    <AccountShell title="Accept your invitation">
      <p>
        Make a Paperboy account for {email}
        {role === 'admin' ? ', as an administrator' : ''}?
      </p>
      <form class="form" method="post" action={action}>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <button class="button" type="submit">
          Create my account
        </button>
      </form>
    </AccountShell>
  );
}

/** Too many sign-in attempts from this network. */
export function tooManyPage() {
  return (
    <AccountShell title="Too many attempts">
      <p>There were many sign-in attempts from this network or for this address in a short time. Please wait 15 minutes and try again.</p>
      <p>
        <a href="/signin">Back to sign in</a>
      </p>
    </AccountShell>
  );
}
