/** All SQL of subscribers and their alerts. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { SubscriberAlertsTable, SubscribersTable } from '../db/schema.subscriptions.ts';

/** A subscriber row as stored. */
export type SubscriberRow = Selectable<SubscribersTable>;
/** An alert row as stored. */
export type AlertRow = Selectable<SubscriberAlertsTable>;

/** The subscriber with this (normalized) address, if any. */
export async function findSubscriberByEmail(db: Kysely<Database>, email: string): Promise<SubscriberRow | undefined> {
  return db.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();
}

/** The subscriber with this id, if any. */
export async function getSubscriber(db: Kysely<Database>, id: number): Promise<SubscriberRow | undefined> {
  return db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The subscribers with these ids (missing ones are left out). */
export async function getSubscribers(db: Kysely<Database>, ids: number[]): Promise<SubscriberRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('subscribers').selectAll().where('id', 'in', ids).execute();
}

/** Creates a pending subscriber, or returns the one a concurrent request created first. */
export async function insertPendingSubscriber(
  db: Kysely<Database>,
  row: { email: string; nonce: string; timeZone: string; digestEnabled: boolean; digestSize: number; now: string },
): Promise<SubscriberRow> {
  await db
    .insertInto('subscribers')
    .values({
      email: row.email,
      status: 'pending',
      confirm_nonce: row.nonce,
      time_zone: row.timeZone,
      digest_enabled: row.digestEnabled ? 1 : 0,
      digest_size: row.digestSize,
      created_at: row.now,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  return (await findSubscriberByEmail(db, row.email))!;
}

/** Changes columns of one subscriber. */
export async function updateSubscriber(db: Kysely<Database>, id: number, patch: Partial<Omit<SubscriberRow, 'id' | 'email'>>): Promise<void> {
  await db.updateTable('subscribers').set(patch).where('id', '=', id).execute();
}

/** Activates a pending subscriber if `nonce` is still its confirmation nonce; false when the link was used already. */
export async function confirmSubscriber(db: Kysely<Database>, id: number, nonce: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('subscribers')
    .set({ status: 'active', confirm_nonce: null, confirmed_at: now, unsubscribed_at: null, permanent_failures: 0 })
    .where('id', '=', id)
    .where('confirm_nonce', '=', nonce)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A subscriber's alerts, oldest first. */
export async function listAlerts(db: Kysely<Database>, subscriberId: number): Promise<AlertRow[]> {
  return db.selectFrom('subscriber_alerts').selectAll().where('subscriber_id', '=', subscriberId).orderBy('id').execute();
}

/** The fields that define an alert. */
export interface AlertFields {
  query: string | null;
  category: string | null;
  organization: string | null;
  author: string | null;
}

/** Adds an alert unless the subscriber already has one with the same fields. */
export async function addAlert(db: Kysely<Database>, subscriberId: number, fields: AlertFields, now: string): Promise<void> {
  const same = (await listAlerts(db, subscriberId)).some(
    (a) => a.query === fields.query && a.category === fields.category && a.organization === fields.organization && a.author === fields.author,
  );
  if (!same) await db.insertInto('subscriber_alerts').values({ subscriber_id: subscriberId, ...fields, created_at: now }).execute();
}

/** Removes one of the subscriber's alerts (an id of someone else's alert removes nothing). */
export async function deleteAlert(db: Kysely<Database>, subscriberId: number, alertId: number): Promise<boolean> {
  const r = await db.deleteFrom('subscriber_alerts').where('id', '=', alertId).where('subscriber_id', '=', subscriberId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Counts subscribers by status. */
export async function countSubscribers(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db.selectFrom('subscribers').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Subscribers with their alert count, by id, for `paperboy subscribers list`. */
export async function listSubscribers(db: Kysely<Database>, limit: number): Promise<(SubscriberRow & { alerts: number })[]> {
  const rows = await db
    .selectFrom('subscribers')
    .selectAll('subscribers')
    .select((eb) => eb.selectFrom('subscriber_alerts').whereRef('subscriber_alerts.subscriber_id', '=', 'subscribers.id').select(eb.fn.countAll<number>().as('n')).as('alerts'))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, alerts: Number(r.alerts ?? 0) }));
}

/** Counts one more refused delivery (5xx) for a subscriber; the new count and status, undefined when there is none. */
export async function addPermanentFailure(db: Kysely<Database>, id: number): Promise<Pick<SubscriberRow, 'permanent_failures' | 'status'> | undefined> {
  return db
    .updateTable('subscribers')
    .set((eb) => ({ permanent_failures: eb('permanent_failures', '+', 1) }))
    .where('id', '=', id)
    .returning(['permanent_failures', 'status'])
    .executeTakeFirst();
}
