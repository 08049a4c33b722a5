/** The preferences page a signed link opens, and the unsubscribe pages. */
import { alertLabel } from '../../digest/alerts.ts';
import { MAX_ALERTS, MAX_DIGEST_SIZE } from '../../subscriptions/subscription-input.ts';
import type { AlertRow, SubscriberRow } from '../../subscriptions/subscriptions.repo.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { FieldError, MessagePage, TimeZoneSelect } from './subscribe.tsx';

/** What the preferences page shows. */
export interface ManagePageProps {
  csrf: string;
  action: string;
  unsubscribeUrl: string;
  sub: SubscriberRow;
  alerts: AlertRow[];
  hour: number;
  notice?: string;
  errors: Record<string, string>;
  alertValues?: Record<string, string | null>;
}

const STATUS: Record<SubscriberRow['status'], string> = {
  active: 'Your subscription is active.',
  pending: 'Your subscription is waiting for confirmation: use the link in the confirmation mail.',
  unsubscribed: 'You are unsubscribed: no mail is sent. Subscribe again to restart (your alerts are kept).',
  bounced: 'Mail to this address kept being refused, so Paperboy stopped sending. Subscribe again to restart.',
};

/** GET /subscription/<token>. */
export function managePage(p: ManagePageProps) {
  const hidden = <input type="hidden" name={CSRF_FIELD} value={p.csrf} />;
  return (
    <MessagePage title="Your Paperboy mail">
      <p class="lede">{p.sub.email}</p>
      {p.notice && (
        <div class="notice ok" role="status">
          <p>{p.notice}</p>
        </div>
      )}
      <div class={`notice${p.sub.status === 'active' ? '' : ' warn'}`}>
        <p>
          {STATUS[p.sub.status]} {p.sub.status !== 'active' && p.sub.status !== 'pending' && <a href="/subscribe">Subscribe again</a>}
        </p>
      </div>

      <section class="block" aria-labelledby="digest-heading">
        <h2 id="digest-heading">Daily digest</h2>
        <form class="form" method="post" action={p.action}>
          {hidden}
          <div class="field">
            <label class="check">
              <input type="checkbox" name="digest" value="on" checked={p.sub.digest_enabled === 1} /> Send me the trending papers every day
            </label>
            <label for="digest_size">Papers per digest</label>
            <input type="number" id="digest_size" name="digest_size" min={1} max={MAX_DIGEST_SIZE} value={String(p.sub.digest_size)} />
            <FieldError id="digest_size" error={p.errors.digest_size} />
          </div>
          <TimeZoneSelect value={p.sub.time_zone} error={p.errors.time_zone} />
          <p class="hint">Mail goes out at {String(p.hour).padStart(2, '0')}:00 in this time zone, on days with new papers.</p>
          <button class="button" type="submit">
            Save preferences
          </button>
        </form>
      </section>

      <section class="block" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Alerts</h2>
        {p.alerts.length === 0 ? (
          <p class="muted">No alerts yet. An alert adds new papers matching a search or filter to your mail, under its own heading.</p>
        ) : (
          <ul class="alerts">
            {p.alerts.map((a) => (
              <li>
                <span>{alertLabel(a)}</span>
                <form method="post" action={`${p.action}/alerts/${a.id}/delete`}>
                  {hidden}
                  <button class="button secondary" type="submit" aria-label={`Remove alert ${alertLabel(a)}`}>
                    Remove
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        {p.alerts.length < MAX_ALERTS && (
          <form class="form" method="post" action={`${p.action}/alerts`}>
            {hidden}
            <FieldError id="alert" error={p.errors.alert} />
            <div class="grid-2">
              <div class="field">
                <label for="query">Search words</label>
                <input type="text" id="query" name="query" value={p.alertValues?.query ?? ''} placeholder="e.g. retrieval augmented generation" />
              </div>
              <div class="field">
                <label for="category">Category</label>
                <input type="text" id="category" name="category" value={p.alertValues?.category ?? ''} placeholder="e.g. cs.CL" />
              </div>
              <div class="field">
                <label for="organization">Organization</label>
                <input type="text" id="organization" name="organization" value={p.alertValues?.organization ?? ''} placeholder="e.g. google" />
              </div>
              <div class="field">
                <label for="author">Author</label>
                <input type="text" id="author" name="author" value={p.alertValues?.author ?? ''} placeholder="e.g. Yann LeCun" />
              </div>
            </div>
            <p class="hint">Fill in one or more; a paper must match all of them.</p>
            <button class="button" type="submit">
              Add alert
            </button>
          </form>
        )}
      </section>

      {(p.sub.status === 'active' || p.sub.status === 'pending') && (
        <section class="block" aria-labelledby="leave-heading">
          <h2 id="leave-heading">Unsubscribe</h2>
          <form class="form" method="post" action={p.unsubscribeUrl}>
            {hidden}
            <button class="button danger" type="submit">
              Unsubscribe from all Paperboy mail
            </button>
          </form>
        </section>
      )}
    </MessagePage>
  );
}

/** GET /unsubscribe/<token>: one button. */
export function unsubscribePage(csrf: string, email: string, action: string, alreadyGone: boolean) {
  return (
    <MessagePage title={alreadyGone ? 'You are unsubscribed' : 'Unsubscribe'}>
      {alreadyGone ? (
        <p>{email} receives no Paperboy mail.</p>
      ) : (
        <>
          <p>Stop all Paperboy mail to {email}?</p>
          <form class="form" method="post" action={action}>
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <button class="button danger" type="submit">
              Unsubscribe
            </button>
          </form>
        </>
      )}
    </MessagePage>
  );
}

/** After POST /unsubscribe/<token>. */
export function unsubscribedPage(email: string, manageUrl: string) {
  return (
    <MessagePage title="You are unsubscribed">
      <div class="notice ok" role="status">
        <p>{email} will receive no more Paperboy mail.</p>
      </div>
      <p>
        Changed your mind? <a href={manageUrl}>Your preferences</a> are kept; <a href="/subscribe">subscribe again</a> any time.
      </p>
    </MessagePage>
  );
}
