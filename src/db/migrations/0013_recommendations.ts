import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import { columnHelpers } from './columns.ts';

/**
 * Recommendations (issue 10): the store's tf-idf vocabulary (one row per fitted vocabulary, so every
 * instance on one database trains and ranks with the same features), each reader's trained models (one
 * per stream: "for you" and each collection), what a reader told the recommender never to use (a paper,
 * an author, a term, or "more like this"), and a reader's settings (onboarding choices, the secret of
 * their private feeds). Digests never repeat a recommended paper through the digest's own record of
 * what each subscriber received.
 *
 * A model row carries the fingerprint of the signals it was trained from; a page load that finds the
 * signals changed (a vote, "not interested") retrains and replaces it, so the next page shows the change
 * on every instance.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    const { withoutRowid } = columnHelpers(dialect);

    await db.schema
      .createTable('recommend_vocabularies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // JSON: {terms, idf, documents}
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('papers', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('recommend_vocabularies_created').on('recommend_vocabularies').column('created_at').execute();

    await withoutRowid(
      db.schema
        .createTable('reader_models')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        // '' for the "for you" stream, 'collection:<id>' for a collection's.
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('vocabulary_id', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        // JSON of the trained model (model-json.ts).
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('trained_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('reader_models_pk', ['user_id', 'stream']),
    ).execute();

    await db.schema
      .createTable('recommend_mutes')
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      // paper | author | term (never use or show), more (more like this paper)
      .addColumn('kind', 'text', (c) => c.notNull())
      // A paper id as text, an author's name or a term, as the reader chose it.
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('recommend_mutes_pk', ['user_id', 'kind', 'value'])
      .execute();

    await db.schema
      .createTable('recommend_settings')
      .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      // JSON array of the categories picked at onboarding.
      .addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
      // Random; the private feeds' token is an HMAC of it, so changing it revokes every feed address.
      .addColumn('feed_nonce', 'text', (c) => c.notNull())
      // Bumped by "reset": signals older than it are not used.
      .addColumn('reset_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

  };
}
