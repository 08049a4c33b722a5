import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * Comments keep their rendered HTML (issue 9): Markdown with KaTeX math is typeset once, when the comment is
 * written or edited — by its signed-in, rate-limited author's request — instead of on every cache miss of
 * its paper page, which any anonymous request can cause (a heavy comment costs over 100 ms of typesetting).
 * `html_version` is the renderer's version: after a change to the renderer (a sanitizer fix, say) older
 * rows are rendered again when shown. Rows from before this migration have no HTML and are rendered then too.
 */
export function up(_dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema.alterTable('comments').addColumn('html', 'text').execute();
    await db.schema.alterTable('comments').addColumn('html_version', 'integer').execute();
    // 1: the HTML holds typeset math (its page then needs KaTeX's stylesheet and inline styles).
    await db.schema.alterTable('comments').addColumn('html_math', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  };
}
