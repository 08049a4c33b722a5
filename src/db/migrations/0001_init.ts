import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.ts';
import { columnHelpers } from './columns.ts';

/** Papers, authors, organizations, categories and the keyword index. */
export function up(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    const { idType, id, withoutRowid } = columnHelpers(dialect);

    await db.schema
      .createTable('organizations')
      .addColumn('id', idType, id)
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('papers')
      .addColumn('id', idType, id)
      .addColumn('arxiv_id', 'text', (c) => c.unique())
      .addColumn('version', 'integer')
      .addColumn('doi', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('title_norm', 'text', (c) => c.notNull())
      .addColumn('abstract', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('comment', 'text')
      .addColumn('journal_ref', 'text')
      .addColumn('primary_category', 'text')
      .addColumn('published_at', 'text')
      .addColumn('updated_at', 'text')
      .addColumn('announced_on', 'text')
      .addColumn('organization_id', 'integer', (c) => c.references('organizations.id'))
      .addColumn('author_count', 'integer')
      .addColumn('upvotes', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('hotness', 'real', (c) => c.notNull().defaultTo(0))
      .addColumn('abs_url', 'text')
      .addColumn('pdf_url', 'text')
      .addColumn('code_url', 'text')
      .addColumn('project_url', 'text')
      .addColumn('provenance', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('sources', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('modified_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('papers_doi').on('papers').column('doi').execute();
    await db.schema.createIndex('papers_title_norm').on('papers').column('title_norm').execute();
    await db.schema.createIndex('papers_announced').on('papers').columns(['announced_on', 'id']).execute();
    await db.schema.createIndex('papers_hotness').on('papers').column('hotness').execute();
    await db.schema.createIndex('papers_organization').on('papers').column('organization_id').execute();

    await db.schema
      .createTable('authors')
      .addColumn('id', idType, id)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_norm', 'text', (c) => c.notNull().unique())
      .execute();

    await db.schema
      .createTable('paper_authors')
      .addColumn('paper_id', 'integer', (c) => c.notNull().references('papers.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('author_id', 'integer', (c) => c.notNull().references('authors.id'))
      .addPrimaryKeyConstraint('paper_authors_pk', ['paper_id', 'position'])
      .$call(withoutRowid)
      .execute();
    await db.schema.createIndex('paper_authors_author').on('paper_authors').columns(['author_id', 'paper_id']).execute();

    await db.schema
      .createTable('paper_categories')
      .addColumn('paper_id', 'integer', (c) => c.notNull().references('papers.id').onDelete('cascade'))
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('paper_categories_pk', ['paper_id', 'category'])
      .$call(withoutRowid)
      .execute();
    await db.schema.createIndex('paper_categories_category').on('paper_categories').columns(['category', 'paper_id']).execute();

    // The keyword index is the one place the databases differ (see src/search/keyword-index.ts).
    if (dialect === 'postgres') {
      await sql`CREATE TABLE papers_fts (paper_id integer PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE, document tsvector NOT NULL)`.execute(db);
      await sql`CREATE INDEX papers_fts_document ON papers_fts USING gin (document)`.execute(db);
    } else {
      await sql`CREATE VIRTUAL TABLE papers_fts USING fts5(title, abstract, authors, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2')`.execute(db);
    }
  };
}
