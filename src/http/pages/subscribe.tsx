/** Pages of subscribing: the form, "check your inbox", the confirmation button, and what a bad link shows. */
import type { Child } from 'hono/jsx';
import { assetUrl } from '../assets/assets.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { Layout } from './layout.tsx';
import { MAX_DIGEST_SIZE, type SubscribeChoices, TIME_ZONES } from '../../subscriptions/subscription-input.ts';

/** The stylesheet of the subscription pages, for the layout's `head`. */
export const subscriptionStyles = <link rel="stylesheet" href={assetUrl('subscriptions.css')} />;

/** A small page with a heading and a few paragraphs. */
export function MessagePage({ title, children }: { title: string; children?: Child }) {
  return (
    <Layout title={title} head={subscriptionStyles} section="subscribe">
      <section class="narrow">
        <h1>{title}</h1>
        {children}
      </section>
    </Layout>
  );
}

/** A form field's error message, tied to its input by id. */
export function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p class="field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;
}

/** The time-zone picker. */
export function TimeZoneSelect({ value, error }: { value: string; error?: string }) {
  return (
    <div class="field">
      <label for="time_zone">Time zone</label>
      <select id="time_zone" name="time_zone" aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'time_zone-error' : 'time_zone-hint'}>
        {TIME_ZONES.map((z) => (
          <option value={z} selected={z === value}>
            {z.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
      <p class="hint" id="time_zone-hint">
        The digest arrives in the morning of your time zone.
      </p>
      <FieldError id="time_zone" error={error} />
    </div>
  );
}

/** What the subscribe form shows: the values typed so far and any problems with them. */
export interface SubscribeFormProps {
  csrf: string;
  values: { email?: string; time_zone?: string; digest?: boolean; digest_size?: string | number; alert_query?: string };
  errors: Record<string, string>;
  defaultSize: number;
  hour: number;
}

/** GET /subscribe (and a POST with errors). */
export function subscribePage({ csrf, values, errors, defaultSize, hour }: SubscribeFormProps) {
  return (
    <MessagePage title="Get trending papers by email">
      <p class="lede">
        Once a day, at {String(hour).padStart(2, '0')}:00 in your time zone, the papers everyone is reading — plus new papers matching your own alerts. No
        account needed, one click to leave.
      </p>
      {errors[''] && (
        <div class="notice warn" role="alert">
          <p>{errors['']}</p>
        </div>
      )}
      <form class="form" method="post" action="/subscribe" novalidate>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <div class="field">
          <label for="email">Email address</label>
          <input
            type="email"
            id="email"
            name="email"
            autocomplete="email"
            required
            value={values.email ?? ''}
            aria-invalid={errors.email ? 'true' : undefined}
            aria-describedby={errors.email ? 'email-error' : undefined}
          />
          <FieldError id="email" error={errors.email} />
        </div>
        <div class="field">
          <label class="check">
            <input type="checkbox" name="digest" value="on" checked={values.digest ?? true} /> Daily digest of trending papers
          </label>
          <label for="digest_size">Papers per digest</label>
          <input type="number" id="digest_size" name="digest_size" min={1} max={MAX_DIGEST_SIZE} value={String(values.digest_size ?? defaultSize)} aria-invalid={errors.digest_size ? 'true' : undefined} />
          <FieldError id="digest_size" error={errors.digest_size} />
        </div>
        <div class="field">
          <label for="alert_query">Alert me about new papers on (optional)</label>
          <input type="text" id="alert_query" name="alert_query" value={values.alert_query ?? ''} placeholder="e.g. diffusion models" aria-describedby="alert_query-hint" />
          <p class="hint" id="alert_query-hint">
            A keyword search; add more alerts, categories, organizations and authors after confirming.
          </p>
          <FieldError id="alert_query" error={errors.alert_query} />
        </div>
        <TimeZoneSelect value={values.time_zone ?? 'UTC'} error={errors.time_zone} />
        <button class="button" type="submit">
          Subscribe
        </button>
      </form>
      <p class="muted">We send a confirmation link first; nothing else arrives until you click it.</p>
    </MessagePage>
  );
}

/** After POST /subscribe: the same words whatever the address's state, so the page reveals nothing. */
export function checkInboxPage(email: string) {
  return (
    <MessagePage title="Check your inbox">
      <div class="notice ok" role="status">
        <p>If {email} can receive mail, a message with a confirmation link is on its way.</p>
      </div>
      <p>Click the link in it to start your subscription. It works once and for 48 hours. Nothing else is sent until then.</p>
      <p class="muted">No mail after a few minutes? Look in the spam folder, or try again later.</p>
    </MessagePage>
  );
}

/** What the confirmation page shows: whose subscription, and the choices of the form that sent the link. */
export interface ConfirmPageProps {
  csrf: string;
  email: string;
  action: string;
  /** Undefined for links mailed before links carried the form's choices: confirming then keeps the stored ones. */
  choices?: SubscribeChoices;
  hour: number;
}

/**
 * GET /subscribe/confirm/<token>: a button, since following a link must not change anything, above what
 * confirming will set — the owner sees the alert they accept, whoever filled in the form.
 */
export function confirmPage({ csrf, email, action, choices, hour }: ConfirmPageProps) {
  return (
    <MessagePage title="Confirm your subscription">
      <p>Start sending Paperboy mail to {email}?</p>
      {choices && (
        <dl class="choices">
          <dt>Daily digest</dt>
          <dd>{choices.digest ? `${choices.digestSize} trending papers at ${String(hour).padStart(2, '0')}:00` : 'off'}</dd>
          <dt>Time zone</dt>
          <dd>{choices.timeZone.replaceAll('_', ' ')}</dd>
          <dt>Alert</dt>
          <dd>{choices.alertQuery ? `new papers on “${choices.alertQuery}”` : 'none'}</dd>
        </dl>
      )}
      {choices && <p class="muted">These come from the subscribe form that sent this link; you can change them at any time afterwards.</p>}
      <form class="form" method="post" action={action}>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <button class="button" type="submit">
          Yes, confirm my subscription
        </button>
      </form>
    </MessagePage>
  );
}

/** A confirmation, preferences or unsubscribe link that is invalid, expired or used. */
export function badLinkPage(what: 'confirm' | 'manage') {
  return (
    <MessagePage title={what === 'confirm' ? 'This confirmation link no longer works' : 'This link does not work'}>
      <p>
        {what === 'confirm'
          ? 'Confirmation links work once and for 48 hours. If you have confirmed already, your subscription is active; otherwise subscribe again to get a fresh link.'
          : 'The link may have been cut short when it was copied. Use the link from your latest Paperboy mail.'}
      </p>
      <p>
        <a href="/subscribe">Subscribe</a>
      </p>
    </MessagePage>
  );
}

/** Too many subscribe attempts from one address. */
export function tooManyPage() {
  return (
    <MessagePage title="Too many attempts">
      <p>This network has sent many subscription requests in a short time. Please wait an hour and try again.</p>
    </MessagePage>
  );
}
