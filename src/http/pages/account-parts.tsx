/** Pieces the sign-in, account and admin-users pages share: the page frame, notices, a password field. */
import type { Child } from 'hono/jsx';
import { assetUrl } from '../assets/assets.ts';
import { Layout } from './layout.tsx';
import { FieldError, subscriptionStyles } from './subscribe.tsx';
import { PASSWORD_LENGTH } from '../../accounts/passwords.ts';

/** The stylesheets of the account pages (forms from subscriptions.css, tables from accounts.css). */
export const accountStyles = (
  <>
    {subscriptionStyles}
    <link rel="stylesheet" href={assetUrl('accounts.css')} />
  </>
);

/** A narrow page with a heading. */
export function AccountShell({ title, wide, children }: { title: string; wide?: boolean; children?: Child }) {
  return (
    <Layout title={title} head={accountStyles}>
      <section class={wide ? 'account-wide' : 'narrow'}>
        <h1>{title}</h1>
        {children}
      </section>
    </Layout>
  );
}

/** A success or warning box above a form. */
export function Notice({ kind, children }: { kind: 'ok' | 'warn'; children?: Child }) {
  return (
    <div class={`notice ${kind}`} role={kind === 'ok' ? 'status' : 'alert'}>
      <p>{children}</p>
    </div>
  );
}

/** A password input with the length rule as its hint. */
export function PasswordField({ id, label, autocomplete, error, hint = true }: { id: string; label: string; autocomplete: 'current-password' | 'new-password'; error?: string; hint?: boolean }) {
  const described = [hint && autocomplete === 'new-password' ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input type="password" id={id} name={id} autocomplete={autocomplete} required maxlength={PASSWORD_LENGTH.max * 4} aria-invalid={error ? 'true' : undefined} aria-describedby={described || undefined} />
      {hint && autocomplete === 'new-password' && (
        <p class="hint" id={`${id}-hint`}>
          At least {PASSWORD_LENGTH.min} characters. Any characters work — a few unrelated words are long and easy to remember.
        </p>
      )}
      <FieldError id={id} error={error} />
    </div>
  );
}

/** An email input. */
export function EmailField({ value, error, label = 'Email address' }: { value?: string; error?: string; label?: string }) {
  return (
    <div class="field">
      <label for="email">{label}</label>
      <input type="email" id="email" name="email" autocomplete="email" required value={value ?? ''} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'email-error' : undefined} />
      <FieldError id="email" error={error} />
    </div>
  );
}

/** A date-time as "2026-07-02 14:05 UTC" (a stored value that is not a date shows as it is). */
export function formatWhen(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
