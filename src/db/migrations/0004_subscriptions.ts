import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import { columnHelpers } from './columns.ts';

/** Subscribers and their alerts, the mail outbox, digest runs, what each subscriber received, rate limits. */
export function up(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    const { idType, id, withoutRowid } = columnHelpers(dialect);

    await db.schema
      .createTable('subscribers')
      .addColumn('id', idType, id)
      .addColumn('email', 'text', (c) => c.notNull().unique())
      // pending (not yet confirmed), active, unsubscribed, bounced (too many permanent failures)
      .addColumn('status', 'text', (c) => c.notNull())
      // The secret part of the current confirmation link; cleared on use, so each link works once.
      .addColumn('confirm_nonce', 'text')
      .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
      .addColumn('digest_enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('digest_size', 'integer', (c) => c.notNull().defaultTo(10))
      .addColumn('permanent_failures', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('confirmed_at', 'text')
      .addColumn('unsubscribed_at', 'text')
      .execute();
    await db.schema.createIndex('subscribers_status').on('subscribers').columns(['status', 'id']).execute();

    await db.schema
      .createTable('subscriber_alerts')
      .addColumn('id', idType, id)
      .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
      // Every set field must match: a saved keyword search and/or a category, organization, author filter.
      .addColumn('query', 'text')
      .addColumn('category', 'text')
      .addColumn('organization', 'text')
      .addColumn('author', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('subscriber_alerts_subscriber').on('subscriber_alerts').column('subscriber_id').execute();

    await db.schema
      .createTable('mail_outbox')
      .addColumn('id', idType, id)
      // e.g. digest:<subscriber>:<day>: a message is enqueued once, whoever tries again.
      .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
      .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
      // pending, sent, failed (permanently, or out of retries), cancelled (no longer wanted)
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('lease_token', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .execute();
    await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'due_at']).execute();
    await db.schema.createIndex('mail_outbox_subscriber').on('mail_outbox').column('subscriber_id').execute();

    await db.schema
      .createTable('digest_runs')
      .addColumn('day', 'text', (c) => c.primaryKey())
      // The day's ranked candidates (JSON ids), fixed once so every subscriber's digest uses the same ranking.
      .addColumn('ranked_ids', 'text', (c) => c.notNull())
      // Subscribers are prepared in id order; everyone at or below the cursor has been handled.
      .addColumn('cursor', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('messages', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('lease_token', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('prepared_at', 'text')
      .execute();

    await db.schema
      .createTable('digest_received')
      .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
      .addColumn('paper_id', 'integer', (c) => c.notNull().references('papers.id').onDelete('cascade'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('digest_received_pk', ['subscriber_id', 'paper_id'])
      .$call(withoutRowid)
      .execute();
    await db.schema.createIndex('digest_received_day').on('digest_received').column('day').execute();

    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rate_limits_pk', ['key', 'window_start'])
      .$call(withoutRowid)
      .execute();
  };
}
