import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import { columnHelpers } from './columns.ts';

/**
 * People's content (issue 9): collections of papers with a note per paper, comment threads on papers, and
 * each account's choice about reply mails.
 *
 * A collection is addressed by `public_id`, a random value, never by its sequential `id`: an unlisted
 * collection is "anyone with the link", which a guessable number would turn into "anyone who counts".
 * Comments are soft-deleted (`deleted_at`) and hidden by moderators (`hidden_at`), so a thread keeps its
 * shape when a comment in the middle goes; the text of a deleted comment is erased at once.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    const { idType, id, withoutRowid } = columnHelpers(dialect);

    await db.schema
      .createTable('collections')
      .addColumn('id', idType, id)
      // Random, URL-safe: what every address of the collection carries.
      .addColumn('public_id', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      // private | unlisted | public
      .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('private'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('collections_user').on('collections').columns(['user_id', 'updated_at']).execute();
    await db.schema.createIndex('collections_visibility').on('collections').columns(['visibility', 'updated_at']).execute();

    await withoutRowid(
      db.schema
        .createTable('collection_papers')
        .addColumn('collection_id', 'integer', (c) => c.notNull().references('collections.id').onDelete('cascade'))
        .addColumn('paper_id', 'integer', (c) => c.notNull().references('papers.id').onDelete('cascade'))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('collection_papers_pk', ['collection_id', 'paper_id']),
    ).execute();
    await db.schema.createIndex('collection_papers_paper').on('collection_papers').column('paper_id').execute();

    await db.schema
      .createTable('comments')
      .addColumn('id', idType, id)
      .addColumn('paper_id', 'integer', (c) => c.notNull().references('papers.id').onDelete('cascade'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      // The comment this one replies to; null for a thread's first comment.
      .addColumn('parent_id', 'integer', (c) => c.references('comments.id').onDelete('cascade'))
      // Markdown as written (empty once deleted); rendered to sanitized HTML when shown.
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('edited_at', 'text')
      .addColumn('deleted_at', 'text')
      // Hidden by a moderator: shown to nobody but the moderators' page, until unhidden.
      .addColumn('hidden_at', 'text')
      .addColumn('hidden_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .execute();
    await db.schema.createIndex('comments_paper').on('comments').columns(['paper_id', 'id']).execute();
    await db.schema.createIndex('comments_user').on('comments').columns(['user_id', 'created_at']).execute();
    await db.schema.createIndex('comments_parent').on('comments').column('parent_id').execute();
    await db.schema.createIndex('comments_created').on('comments').column('created_at').execute();

    await db.schema
      .createTable('comment_settings')
      .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      // 1: mail me when someone replies to my comment (the default when there is no row).
      .addColumn('reply_mails', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  };
}
