/** /admin/outbox: the mail Paperboy sent (as .eml files when no SMTP server is configured) and the queue's state. */
import type { EmlMessage } from '../../mail/eml-outbox.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { Layout } from './layout.tsx';
import { subscriptionStyles } from './subscribe.tsx';

/** A row of the outbox table in the database. */
export interface QueueRow {
  id: number;
  idempotency_key: string;
  kind: string;
  status: string;
  email: string;
  due_at: string;
  attempts: number;
  last_error: string | null;
}

/** What the outbox page shows. */
export interface OutboxPageProps {
  csrf: string;
  transport: string;
  fileMode: boolean;
  files: { messages: EmlMessage[]; total: number };
  counts: Record<string, number>;
  queue: QueueRow[];
  subscribers: Record<string, number>;
  notice?: string;
}

/** GET /admin/outbox. */
export function outboxPage(p: OutboxPageProps) {
  const count = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
  return (
    <Layout title="Outbox" head={subscriptionStyles}>
      <h1>Outbox</h1>
      <p class="lede">Mail goes to {p.transport}.</p>
      {p.notice && (
        <div class="notice ok" role="status">
          <p>{p.notice}</p>
        </div>
      )}
      <p>
        Subscribers: {count(p.subscribers)}. Queue: {count(p.counts)}.
      </p>
      <form class="form" method="post" action="/admin/digest">
        <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
        <div class="field">
          <label for="date">Send the digest of a listing day now</label>
          <input type="text" id="date" name="date" placeholder="YYYY-MM-DD (empty: the latest day)" />
        </div>
        <button class="button" type="submit">
          Prepare and send now
        </button>
      </form>
      {p.fileMode && (
        <section class="block" aria-labelledby="files-heading">
          <h2 id="files-heading">Messages written ({p.files.total})</h2>
          {p.files.messages.length === 0 ? (
            <p class="muted">No mail yet. Subscribe at /subscribe and the confirmation mail appears here.</p>
          ) : (
            <table class="outbox">
              <thead>
                <tr>
                  <th scope="col">Written</th>
                  <th scope="col">To</th>
                  <th scope="col">Subject</th>
                </tr>
              </thead>
              <tbody>
                {p.files.messages.map((m) => (
                  <tr>
                    <td>{m.writtenAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
                    <td>{m.to}</td>
                    <td>
                      <a href={`/admin/outbox/${m.name}`}>{m.subject || '(no subject)'}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      <section class="block" aria-labelledby="queue-heading">
        <h2 id="queue-heading">Latest queue entries</h2>
        <table class="outbox">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">To</th>
              <th scope="col">Status</th>
              <th scope="col">Due</th>
              <th scope="col">Attempts</th>
            </tr>
          </thead>
          <tbody>
            {p.queue.map((r) => (
              <tr>
                <td>{r.idempotency_key.replace(/:[0-9a-f-]{36}$/, '')}</td>
                <td>{r.email}</td>
                <td title={r.last_error ?? undefined}>{r.status}</td>
                <td>{r.due_at.replace('T', ' ').slice(0, 16)}</td>
                <td>{r.attempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}

/** GET /admin/outbox/<file>: headers, the plain-text part, and the HTML part in a sandboxed frame. */
export function emlPage(m: EmlMessage) {
  return (
    <Layout title={m.subject || 'Message'} head={subscriptionStyles}>
      <p>
        <a href="/admin/outbox">← Outbox</a>
      </p>
      <h1>{m.subject || '(no subject)'}</h1>
      <dl class="mail-headers">
        {m.headers
          .filter(([name]) => /^(from|to|date|subject|message-id|list-unsubscribe|list-unsubscribe-post)$/i.test(name))
          .map(([name, value]) => (
            <>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </>
          ))}
      </dl>
      {m.html && (
        <p>
          <a href={`/admin/outbox/${m.name}/html`}>Open the HTML part</a> · <a href={`/admin/outbox/${m.name}/raw`}>Download the .eml</a>
        </p>
      )}
      <h2>Plain-text part</h2>
      <pre class="mail-text">{m.text}</pre>
    </Layout>
  );
}
