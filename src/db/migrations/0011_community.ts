import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.ts';
import { columnHelpers } from './columns.ts';

/**
 * The community signals (issue 9): an account's upvote of a paper, a paper submitted by an account, what an
 * account has read or is not interested in, and the authors, organizations and categories it follows.
 *
 * Local votes are kept apart from the upvotes imported from Hugging Face (`papers.upvotes`, the largest
 * count any source reported): `papers.local_votes` is the number of `paper_votes` rows, kept in step by the
 * transaction that casts or removes a vote, so lists read both without a join. "Most upvoted" orders by
 * their sum, through an index on that expression (replacing the index on imported upvotes alone).
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    const { idType, id, withoutRowid } = columnHelpers(dialect);

    await db.schema.alterTable('papers').addColumn('local_votes', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    // ORDER BY upvotes + local_votes DESC, hotness DESC, id DESC (paper-filter.repo.ts): written the same way here.
    await db.schema.dropIndex('papers_upvotes').execute();
    await sql`CREATE INDEX papers_votes ON papers ((upvotes + local_votes), hotness, id)`.execute(db);

    await withoutRowid(
      db.schema
        .createTable('paper_votes')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('paper_id', 'integer', (c) => c.notNull().references('papers.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        // One vote per account per paper.
        .addPrimaryKeyConstraint('paper_votes_pk', ['user_id', 'paper_id']),
    ).execute();
    await db.schema.createIndex('paper_votes_paper').on('paper_votes').column('paper_id').execute();
    // A day's community picks read the votes cast in a time range.
    await db.schema.createIndex('paper_votes_created').on('paper_votes').columns(['created_at', 'paper_id']).execute();

    await db.schema
      .createTable('paper_submissions')
      // One mark per paper: the first account to submit it (a known paper gets the mark, never a second row).
      .addColumn('paper_id', 'integer', (c) => c.primaryKey().references('papers.id').onDelete('cascade'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      // YYYY-MM-DD (UTC): the day page whose community picks show it.
      .addColumn('submitted_on', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('paper_submissions_created').on('paper_submissions').columns(['created_at', 'paper_id']).execute();
    await db.schema.createIndex('paper_submissions_user').on('paper_submissions').column('user_id').execute();

    await withoutRowid(
      db.schema
        .createTable('reading_states')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('paper_id', 'integer', (c) => c.notNull().references('papers.id').onDelete('cascade'))
        // read | dismissed ("not interested"): one state per paper, the latest choice.
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('reading_states_pk', ['user_id', 'paper_id']),
    ).execute();
    await db.schema.createIndex('reading_states_paper').on('reading_states').column('paper_id').execute();

    await db.schema
      .createTable('follows')
      .addColumn('id', idType, id)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      // Exactly one of the three targets is set.
      .addColumn('author_id', 'integer', (c) => c.references('authors.id').onDelete('cascade'))
      .addColumn('organization_id', 'integer', (c) => c.references('organizations.id').onDelete('cascade'))
      // A category (cs.LG) or a whole archive (cs) as the reader named it, and its key as the paper filter matches it.
      .addColumn('category', 'text')
      .addColumn('category_key', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // NULLs are distinct in both engines, so each unique index only constrains its own kind of follow.
    await db.schema.createIndex('follows_author').on('follows').columns(['user_id', 'author_id']).unique().execute();
    await db.schema.createIndex('follows_organization').on('follows').columns(['user_id', 'organization_id']).unique().execute();
    await db.schema.createIndex('follows_category').on('follows').columns(['user_id', 'category_key']).unique().execute();
  };
}
