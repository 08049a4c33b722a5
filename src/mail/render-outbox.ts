/**
 * Turns claimed outbox rows into finished mails by kind: digests are composed first (a placeholder becomes the
 * digest as of now, digest/compose.ts), then each row is rendered, or said why it should no longer be sent.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type ComposeResult, type DigestComposer, digestPaperIds, type DigestPayload, type DigestPlaceholder, isComposed } from '../digest/compose.ts';
import { digestMail } from '../digest/digest-mail.tsx';
import { isAccountMail, renderAccountMail } from '../accounts/account-mails.tsx';
import { isReplyMail, renderReplyMail } from '../comments/reply-mail.tsx';
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
  /** Composes the run's digests (one ranking per day and run). */
  digests: DigestComposer;
}

/** Readies a claimed batch for rendering: composes its digest placeholders; throws on a database error. */
export function composeClaimed(ctx: RenderContext, rows: OutboxRow[], subscribers: Map<number, SubscriberRow>): Promise<ComposeResult> {
  return ctx.digests.compose(rows, subscribers);
}

/** Whether a claimed row still needs composing (composeClaimed failed for it). */
export function isPlaceholder(row: OutboxRow): boolean {
  if (row.kind !== 'digest') return false;
  try {
    return !isComposed(JSON.parse(row.payload) as DigestPlaceholder | DigestPayload);
  } catch {
    return false;
  }
}

/** The mail for an outbox row, or `{ cancel }` when its subscriber's state makes it unwanted. */
export async function renderOutboxRow(ctx: RenderContext, row: OutboxRow, sub: SubscriberRow | undefined): Promise<OutgoingMail | { cancel: string }> {
  if (isAccountMail(row)) return renderAccountMail(ctx, row);
  if (isReplyMail(row)) return renderReplyMail(ctx, row);
  if (!sub) return { cancel: 'subscriber deleted' };
  if (sub.status === 'bounced') return { cancel: 'address bounced' };
  const payload = JSON.parse(row.payload);
  switch (row.kind) {
    case 'confirm':
      // Confirmed meanwhile (through an earlier mail) or unsubscribed: the link would not work anyway.
      if (sub.status !== 'pending' || sub.confirm_nonce !== payload.nonce) return { cancel: `subscriber is ${sub.status}` };
      return confirmationMail(ctx, sub, payload.nonce, row.idempotency_key, payload.choices);
    case 'already-subscribed':
      if (sub.status !== 'active') return { cancel: `subscriber is ${sub.status}` };
      return alreadySubscribedMail(ctx, sub, row.idempotency_key);
    case 'digest': {
      if (sub.status !== 'active') return { cancel: `subscriber is ${sub.status}` };
      const digest = payload as DigestPlaceholder | DigestPayload;
      if (!isComposed(digest)) throw new Error(`digest of ${digest.day} is not composed yet`);
      const ids = digestPaperIds(digest);
      const missing = ids.filter((id) => !ctx.papers.has(id));
      if (missing.length) for (const p of await getPapers(ctx.db, missing)) ctx.papers.set(p.id, p);
      return digestMail(ctx, sub, digest, ctx.papers, row.idempotency_key);
    }
    default:
      return { cancel: `unknown kind ${String(row.kind)}` };
  }
}
