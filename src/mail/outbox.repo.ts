/**
 * All SQL of the mail outbox. A message is enqueued once per idempotency key; senders claim due messages with a
 * lease (one UPDATE … WHERE id IN (SELECT … [FOR UPDATE SKIP LOCKED]) RETURNING), so two processes on one
 * database never hold the same message, and a crashed sender's messages are taken over when its lease ends.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { MailOutboxTable } from '../db/schema.subscriptions.ts';

/** An outbox row as stored. */
export type OutboxRow = Selectable<MailOutboxTable>;

/** Emits 'queued' when a message that is due now was enqueued in this process, so a sender can wake up. */
export const outboxEvents = new EventEmitter();

/** A message to enqueue: for a subscriber, or (account mails) an account or a bare address. */
export interface NewMessage {
  key: string;
  kind: MailOutboxTable['kind'];
  subscriberId?: number;
  userId?: number | null;
  toAddress?: string | null;
  payload: unknown;
  dueAt: Date;
}

/** Enqueues messages; a key that exists already is left alone. Returns how many were new. */
export async function enqueueMessages(db: Kysely<Database>, messages: NewMessage[], now = new Date()): Promise<number> {
  let added = 0;
  for (let i = 0; i < messages.length; i += 500) {
    const rows = messages.slice(i, i + 500).map((m) => ({
      idempotency_key: m.key,
      kind: m.kind,
      subscriber_id: m.subscriberId ?? null,
      user_id: m.userId ?? null,
      to_address: m.toAddress ?? null,
      payload: JSON.stringify(m.payload),
      status: 'pending' as const,
      due_at: m.dueAt.toISOString(),
      created_at: now.toISOString(),
    }));
    const inserted = await db.insertInto('mail_outbox').values(rows).onConflict((oc) => oc.column('idempotency_key').doNothing()).returning('id').execute();
    added += inserted.length;
  }
  if (messages.some((m) => m.dueAt <= now)) outboxEvents.emit('queued');
  return added;
}

/**
 * Claims up to `limit` messages due by `dueBy` (default: now) for `leaseSeconds`; the returned rows carry this
 * claim's lease token.
 */
export async function claimDueMessages(db: Kysely<Database>, dialect: Dialect, limit: number, leaseSeconds: number, now = new Date(), dueBy = now): Promise<OutboxRow[]> {
  const at = now.toISOString();
  const due_by = dueBy.toISOString();
  const token = randomUUID();
  const due = (qb: any) =>
    qb
      .where('status', '=', 'pending')
      .where('due_at', '<=', due_by)
      .where((eb: any) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]));
  let pick = due(db.selectFrom('mail_outbox').select('id')).orderBy('due_at').orderBy('id').limit(limit);
  if (dialect === 'postgres') pick = pick.forUpdate().skipLocked();
  // The outer conditions repeat the inner ones: PostgreSQL re-checks them on a row another claim just changed.
  return due(db.updateTable('mail_outbox'))
    .set({ lease_token: token, lease_until: new Date(now.getTime() + leaseSeconds * 1000).toISOString(), attempts: sql`attempts + 1` })
    .where('id', 'in', pick)
    .returningAll()
    .execute();
}

type Claimed = Pick<OutboxRow, 'id' | 'lease_token'>;

async function settle(db: Kysely<Database>, row: Claimed, set: Partial<OutboxRow>): Promise<boolean> {
  const r = await db
    .updateTable('mail_outbox')
    .set({ ...set, lease_token: null, lease_until: null })
    .where('id', '=', row.id)
    .where('lease_token', '=', row.lease_token)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Extends our lease on one message right before it is sent; false when another sender took it over meanwhile
 * (our claim outlived its lease), in which case we must not send it.
 */
export async function renewLease(db: Kysely<Database>, row: Claimed, leaseSeconds: number, now = new Date()): Promise<boolean> {
  const r = await db
    .updateTable('mail_outbox')
    .set({ lease_until: new Date(now.getTime() + leaseSeconds * 1000).toISOString() })
    .where('id', '=', row.id)
    .where('lease_token', '=', row.lease_token)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Renews our lease on claimed messages that are still ours and pending; returns their ids (PostgreSQL also locks them until commit). */
export async function renewLeases(db: Kysely<Database>, rows: Claimed[], leaseSeconds: number, now = new Date()): Promise<Set<number>> {
  const held = new Set<number>();
  const byToken = new Map<string, number[]>();
  for (const r of rows) if (r.lease_token) (byToken.get(r.lease_token) ?? byToken.set(r.lease_token, []).get(r.lease_token)!).push(r.id);
  for (const [token, ids] of byToken) {
    const renewed = await db
      .updateTable('mail_outbox')
      .set({ lease_until: new Date(now.getTime() + leaseSeconds * 1000).toISOString() })
      .where('id', 'in', ids)
      .where('lease_token', '=', token)
      .where('status', '=', 'pending')
      .returning('id')
      .execute();
    for (const r of renewed) held.add(r.id);
  }
  return held;
}

/** Replaces the payload of a claimed message (a digest composed at send time); false when the lease was lost. */
export async function writePayload(db: Kysely<Database>, row: Claimed, payload: unknown): Promise<boolean> {
  const r = await db
    .updateTable('mail_outbox')
    .set({ payload: JSON.stringify(payload) })
    .where('id', '=', row.id)
    .where('lease_token', '=', row.lease_token)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Gives claimed, unsent messages back (a stopping process): the lease is cleared, and the attempt the claim
 * counted is taken back, so a restart never brings a message nearer to being given up. Returns how many.
 */
export async function releaseClaims(db: Kysely<Database>, rows: Claimed[]): Promise<number> {
  let released = 0;
  const byToken = new Map<string, number[]>();
  for (const r of rows) if (r.lease_token) (byToken.get(r.lease_token) ?? byToken.set(r.lease_token, []).get(r.lease_token)!).push(r.id);
  for (const [token, ids] of byToken) {
    const r = await db
      .updateTable('mail_outbox')
      .set({ lease_token: null, lease_until: null, attempts: sql`case when attempts > 0 then attempts - 1 else 0 end` })
      .where('id', 'in', ids)
      .where('lease_token', '=', token)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    released += Number(r.numUpdatedRows);
  }
  return released;
}

/** Records a message as sent; false when the lease was lost (another sender took it over). */
export function markSent(db: Kysely<Database>, row: Claimed, now = new Date()): Promise<boolean> {
  return settle(db, row, { status: 'sent', sent_at: now.toISOString(), last_error: null });
}

/** Puts a message back to be tried again at `dueAt`. */
export function markRetry(db: Kysely<Database>, row: Claimed, dueAt: Date, error: string): Promise<boolean> {
  return settle(db, row, { status: 'pending', due_at: dueAt.toISOString(), last_error: error });
}

/** Gives up on a message: permanently refused, or out of attempts. */
export function markFailed(db: Kysely<Database>, row: Claimed, error: string): Promise<boolean> {
  return settle(db, row, { status: 'failed', last_error: error });
}

/** Drops a claimed message that is no longer wanted (unsubscribed, bounced, confirmed meanwhile). */
export function markCancelled(db: Kysely<Database>, row: Claimed, reason: string): Promise<boolean> {
  return settle(db, row, { status: 'cancelled', last_error: reason });
}

/** Cancels every pending message of a subscriber (on unsubscribe or bounce). */
export async function cancelPendingFor(db: Kysely<Database>, subscriberId: number, reason: string): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ status: 'cancelled', last_error: reason })
    .where('subscriber_id', '=', subscriberId)
    .where('status', '=', 'pending')
    .execute();
}

/** The message with this idempotency key, if it was enqueued. */
export async function findMessageByKey(db: Kysely<Database>, key: string): Promise<OutboxRow | undefined> {
  return db.selectFrom('mail_outbox').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

/** Counts of outbox messages by status. */
export async function outboxCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db.selectFrom('mail_outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** The most recent outbox rows, newest first, for the admin page. */
export async function recentMessages(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom('mail_outbox')
    .leftJoin('subscribers', 'subscribers.id', 'mail_outbox.subscriber_id')
    .leftJoin('users', 'users.id', 'mail_outbox.user_id')
    .select(['mail_outbox.id', 'idempotency_key', 'kind', 'mail_outbox.status', 'due_at', 'attempts', 'last_error', 'sent_at'])
    // Subscription mails go to a subscriber, account mails to an account or (sign-up) a bare address.
    .select(sql<string>`coalesce(subscribers.email, users.email, mail_outbox.to_address, '')`.as('email'))
    .orderBy('mail_outbox.id', 'desc')
    .limit(limit)
    .execute();
}
