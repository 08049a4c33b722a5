import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import { columnHelpers } from './columns.ts';

/**
 * References of an uploaded library that match no stored paper (issue 10): kept by their text, per
 * collection, so that recommendations learn from a reader's whole Zotero library and not only from the
 * part the store happens to hold. One row per normalized title and collection; they go with the collection.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    const { idType, id } = columnHelpers(dialect);
    await db.schema
      .createTable('collection_references')
      .addColumn('id', idType, id)
      .addColumn('collection_id', 'integer', (c) => c.notNull().references('collections.id').onDelete('cascade'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('abstract', 'text', (c) => c.notNull().defaultTo(''))
      // normalizeTitle of the title: one row per reference however often it is uploaded.
      .addColumn('title_norm', 'text', (c) => c.notNull())
      .addColumn('added_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('collection_references_title').on('collection_references').columns(['collection_id', 'title_norm']).unique().execute();
  };
}
