/** Turns an outbox row into the finished mail for its kind, or says why it should no longer be sent. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { digestMail } from '../digest/digest-mail.tsx';
import type { DigestPayload } from '../digest/prepare.ts';
import type { Paper } from '../papers/paper.ts';
import { getPapers } from '../papers/papers.repo.ts';
import { alreadySubscribedMail, confirmationMail } from '../subscriptions/subscription-mails.tsx';
import type { SubscriberRow } from '../subscriptions/subscriptions.repo.ts';
import type { OutgoingMail } from './mailer.ts';
import type { OutboxRow } from './outbox.repo.ts';

/** What rendering needs: where links point, the signing key, and a paper cache shared by one delivery run. */
export interface RenderContext {
  db: Kysely<Database>;
  baseUrl: string;
  key: string;
  now: Date;
  papers: Map<number, Paper>;
  /** Rendered paper rows, shared by the run's digests. */
  rows: Map<string, string>;
}

/** The mail for an outbox row, or `{ cancel }` when its subscriber's state makes it unwanted. */
export async function renderOutboxRow(ctx: RenderContext, row: OutboxRow, sub: SubscriberRow | undefined): Promise<OutgoingMail | { cancel: string }> {
  if (!sub) return { cancel: 'subscriber deleted' };
  if (sub.status === 'bounced') return { cancel: 'address bounced' };
  const payload = JSON.parse(row.payload);
  switch (row.kind) {
    case 'confirm':
      // Confirmed meanwhile (through an earlier mail) or unsubscribed: the link would not work anyway.
      if (sub.status !== 'pending' || sub.confirm_nonce !== payload.nonce) return { cancel: `subscriber is ${sub.status}` };
      return confirmationMail(ctx, sub, payload.nonce, row.idempotency_key);
    case 'already-subscribed':
      if (sub.status !== 'active') return { cancel: `subscriber is ${sub.status}` };
      return alreadySubscribedMail(ctx, sub, row.idempotency_key);
    case 'digest': {
      if (sub.status !== 'active') return { cancel: `subscriber is ${sub.status}` };
      const digest = payload as DigestPayload;
      const ids = [...digest.alerts.flatMap((a) => a.ids), ...digest.top];
      const missing = ids.filter((id) => !ctx.papers.has(id));
      if (missing.length) for (const p of await getPapers(ctx.db, missing)) ctx.papers.set(p.id, p);
      return digestMail(ctx, sub, digest, ctx.papers, row.idempotency_key);
    }
    default:
      return { cancel: `unknown kind ${String(row.kind)}` };
  }
}
