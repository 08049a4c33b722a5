import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * What the one paper filter (src/filter/) matches on, as plain indexed equality so no collation can change
 * the answer: each category's lower-cased key and archive (`cs.LG` → `cs.lg`, `cs`; `hep-th` → `hep-th`,
 * `hep-th`), and each author's last name word (`yann lecun` → `lecun`) for "full name or surname" matching.
 * On PostgreSQL, a text search configuration that stems like `english` but keeps stopwords, so a phrase such
 * as "to be or not to be" is found on both databases (FTS5 keeps them too); existing documents are rebuilt
 * by the keyword index's derived-data step (src/db/derived.ts), not here. Also the table that step uses, and
 * the index of the "most upvoted" order.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema.alterTable('paper_categories').addColumn('category_key', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.alterTable('paper_categories').addColumn('archive', 'text', (c) => c.notNull().defaultTo('')).execute();
    const archive =
      dialect === 'postgres'
        ? sql`lower(split_part(category, '.', 1))`
        : sql`lower(CASE WHEN instr(category, '.') > 0 THEN substr(category, 1, instr(category, '.') - 1) ELSE category END)`;
    await sql`UPDATE paper_categories SET category_key = lower(category), archive = ${archive}`.execute(db);
    await db.schema.createIndex('paper_categories_key').on('paper_categories').columns(['category_key', 'paper_id']).execute();
    await db.schema.createIndex('paper_categories_archive').on('paper_categories').columns(['archive', 'paper_id']).execute();

    // "Most upvoted" lists read ORDER BY upvotes DESC, hotness DESC, id DESC.
    await db.schema.createIndex('papers_upvotes').on('papers').columns(['upvotes', 'hotness', 'id']).execute();

    await db.schema.alterTable('authors').addColumn('last_word', 'text', (c) => c.notNull().defaultTo('')).execute();
    // The last space-separated word of the normalized name. SQLite has no regular expressions: rtrim with the
    // name's own non-space characters strips exactly the last word, leaving the prefix whose length we skip.
    const lastWord =
      dialect === 'postgres' ? sql`regexp_replace(name_norm, '^.* ', '')` : sql`substr(name_norm, length(rtrim(name_norm, replace(name_norm, ' ', ''))) + 1)`;
    await sql`UPDATE authors SET last_word = ${lastWord}`.execute(db);
    await db.schema.createIndex('authors_last_word').on('authors').column('last_word').execute();

    await db.schema
      .createTable('derived_state')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    if (dialect === 'postgres') {
      // The snowball template without a StopWords file: english stemming, every word kept.
      await sql`CREATE TEXT SEARCH DICTIONARY paperboy_english_stem (TEMPLATE = snowball, Language = english)`.execute(db);
      await sql`CREATE TEXT SEARCH CONFIGURATION paperboy_english (COPY = english)`.execute(db);
      await sql`ALTER TEXT SEARCH CONFIGURATION paperboy_english
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH paperboy_english_stem`.execute(db);
    }
  };
}
