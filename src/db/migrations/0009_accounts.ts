import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.ts';
import { columnHelpers } from './columns.ts';

/**
 * Accounts: users (role, status, optional password), their sign-in sessions, personal API tokens, the
 * single-use links mailed to them (sign-in, password reset, invitation), single sign-on identities, and an
 * audit log of account and moderation actions. Secrets are never stored as they are: sessions and API tokens
 * by their SHA-256, links by a salt the secret key signs (src/accounts/email-links.ts).
 *
 * The mail outbox learns to send to an account or a bare address (a sign-up link goes to someone who has no
 * account yet): `subscriber_id` becomes optional, `user_id` and `to_address` are added. SQLite cannot drop a
 * NOT NULL, so there the table is rebuilt with its rows and indexes.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    const { idType, id } = columnHelpers(dialect);

    await db.schema
      .createTable('users')
      .addColumn('id', idType, id)
      // Lower-cased, unique: the one address an account signs in and is mailed with.
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text')
      // admin | member
      .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
      // active | suspended
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      // scrypt$N$r$p$salt$hash, or null for accounts that sign in by mail or single sign-on only.
      .addColumn('password_hash', 'text')
      .addColumn('password_changed_at', 'text')
      // The email subscription (made before the account, same confirmed address) this account manages.
      .addColumn('subscriber_id', 'integer', (c) => c.references('subscribers.id').onDelete('set null'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_sign_in_at', 'text')
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', idType, id)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      // SHA-256 (base64url) of the cookie's random value.
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      // How it was opened (password, email-link, oidc, reset) and from what, for the list of active sessions.
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('user_agent', 'text')
      .addColumn('client', 'text')
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id', 'expires_at']).execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', idType, id)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      // The first characters of the token (pb_xxxxxx), so a list can say which one is which.
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .execute();
    await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

    await db.schema
      .createTable('email_links')
      .addColumn('id', idType, id)
      // sign-in | reset | invite
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
      // Random; the link carries HMAC(secret key, purpose, id, salt), so the table alone opens nothing.
      .addColumn('salt', 'text', (c) => c.notNull())
      // JSON: where to go after signing in, the role an invitation grants.
      .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema.createIndex('email_links_email').on('email_links').columns(['email', 'purpose']).execute();

    await db.schema
      .createTable('user_identities')
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('email', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_identities_pk', ['issuer', 'subject'])
      .execute();
    await db.schema.createIndex('user_identities_user').on('user_identities').column('user_id').execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', idType, id)
      .addColumn('at', 'text', (c) => c.notNull())
      // Who did it: an account, or null for the admin token and the CLI.
      .addColumn('actor_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
      // e.g. user.role, user.suspend, user.invite, comment.hide
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('target_id', 'integer')
      .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

    if (dialect === 'postgres') {
      await sql`ALTER TABLE mail_outbox ALTER COLUMN subscriber_id DROP NOT NULL`.execute(db);
      await db.schema.alterTable('mail_outbox').addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade')).execute();
      await db.schema.alterTable('mail_outbox').addColumn('to_address', 'text').execute();
    } else {
      await rebuildSqliteOutbox(db);
    }
    await db.schema.createIndex('mail_outbox_user').on('mail_outbox').column('user_id').execute();
  };
}

async function rebuildSqliteOutbox(db: Kysely<any>): Promise<void> {
  const { idType, id } = columnHelpers('sqlite');
  await db.schema
    .createTable('mail_outbox_new')
    .addColumn('id', idType, id)
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subscriber_id', 'integer', (c) => c.references('subscribers.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('to_address', 'text')
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_token', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  const columns = sql.raw('id, idempotency_key, kind, subscriber_id, payload, status, due_at, attempts, lease_token, lease_until, last_error, created_at, sent_at');
  await sql`INSERT INTO mail_outbox_new (${columns}) SELECT ${columns} FROM mail_outbox`.execute(db);
  await db.schema.dropTable('mail_outbox').execute();
  await db.schema.alterTable('mail_outbox_new').renameTo('mail_outbox').execute();
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('mail_outbox_subscriber').on('mail_outbox').column('subscriber_id').execute();
}
