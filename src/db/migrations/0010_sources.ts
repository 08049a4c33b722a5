import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import { columnHelpers } from './columns.ts';

/**
 * Scheduled ingestion (src/sources/): the sources an instance follows (an arXiv category or archive, the
 * Hugging Face daily list, an RSS/Atom feed), with their schedule and the harvest's progress (the last
 * settled listing day, days still watched for, an OAI resumption token to resume from, HTTP validators);
 * every run with its counts, skips and message; one lease per remote host, so several instances on one
 * database run each harvest once and ask each host one request at a time. Papers learn whether their
 * latest arXiv version is a withdrawal.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    const { idType, id } = columnHelpers(dialect);

    await db.schema
      .createTable('sources')
      .addColumn('id', idType, id)
      // arxiv | hf-daily | feed
      .addColumn('kind', 'text', (c) => c.notNull())
      // An arXiv category or archive (cs.LG, cs), a feed's URL; empty for the Hugging Face daily list.
      .addColumn('target', 'text', (c) => c.notNull())
      // `listing` (after each arXiv announcement) or `every <n>m`.
      .addColumn('schedule', 'text', (c) => c.notNull())
      // First listing day of the backfill; null: the last few listing days before the first run.
      .addColumn('backfill_from', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      // env | admin | cli: who added it (an environment seed never re-adds what an admin removed or disabled).
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      // The last listing day whose fetch is settled: harvested, or given up with a warning.
      .addColumn('completed_through', 'text')
      // JSON list of expected days that came back empty and are still watched for (a late day).
      .addColumn('pending_days', 'text', (c) => c.notNull().defaultTo('[]'))
      // An interrupted OAI harvest: the token of the next page, and the day the harvest started from.
      .addColumn('resume_token', 'text')
      .addColumn('resume_from', 'text')
      // JSON { day: records } of that harvest's pages so far: whether each expected day arrived survives a restart.
      .addColumn('resume_days', 'text')
      // Not before (backoff after a failure, Retry-After, the next try for a late day).
      .addColumn('next_attempt_at', 'text')
      .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
      // Validators of the last answer, for conditional requests (feeds, Hugging Face).
      .addColumn('http_etag', 'text')
      .addColumn('http_last_modified', 'text')
      .addColumn('last_run_at', 'text')
      .addColumn('last_success_at', 'text')
      // When the admin was last mailed that this source keeps failing.
      .addColumn('alerted_at', 'text')
      .addUniqueConstraint('sources_kind_target', ['kind', 'target'])
      .execute();

    await db.schema
      .createTable('source_runs')
      .addColumn('id', idType, id)
      .addColumn('source_id', 'integer', (c) => c.notNull().references('sources.id').onDelete('cascade'))
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      // running | success | warning | late | failed | interrupted
      .addColumn('status', 'text', (c) => c.notNull())
      // The listing days asked for, and through which interface (oai, api, hf, feed).
      .addColumn('window_from', 'text')
      .addColumn('window_until', 'text')
      .addColumn('via', 'text')
      .addColumn('requests', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('added', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
      // JSON: the first skips, each { location, reason }.
      .addColumn('skips', 'text', (c) => c.notNull().defaultTo('[]'))
      // What a warning, a late day or a failure was about.
      .addColumn('message', 'text')
      // The host lease the run ran under: a `running` row under an expired lease was interrupted.
      .addColumn('lease_token', 'text')
      .execute();
    await db.schema.createIndex('source_runs_source').on('source_runs').columns(['source_id', 'id']).execute();
    await db.schema.createIndex('source_runs_status').on('source_runs').columns(['status', 'source_id']).execute();

    await db.schema
      .createTable('fetch_leases')
      // host:export.arxiv.org and the like.
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('lease_token', 'text')
      .addColumn('lease_until', 'text')
      .execute();

    // 1 when the paper's latest arXiv version withdraws it; what it said before stays, so links keep working.
    await db.schema.alterTable('papers').addColumn('withdrawn', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  };
}
