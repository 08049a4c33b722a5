import type { Generated } from 'kysely';

/** The kinds of source an instance can follow. */
export type SourceKind = 'arxiv' | 'hf-daily' | 'feed';

/** What a run came to. */
export type RunStatus = 'running' | 'success' | 'warning' | 'late' | 'failed' | 'interrupted';

/** A source the instance follows, with its schedule and the harvest's progress (migration 0010). */
export interface SourcesTable {
  id: Generated<number>;
  kind: SourceKind;
  /** An arXiv category or archive, a feed URL; '' for the Hugging Face daily list. */
  target: string;
  /** `listing` or `every <n>m` (src/sources/schedule.ts). */
  schedule: string;
  backfill_from: string | null;
  enabled: Generated<number>;
  origin: 'env' | 'admin' | 'cli';
  created_at: string;
  completed_through: string | null;
  /** JSON list of days still watched for. */
  pending_days: Generated<string>;
  resume_token: string | null;
  resume_from: string | null;
  /** JSON { day: records } of the interrupted harvest's pages. */
  resume_days: string | null;
  next_attempt_at: string | null;
  failures: Generated<number>;
  http_etag: string | null;
  http_last_modified: string | null;
  last_run_at: string | null;
  last_success_at: string | null;
  alerted_at: string | null;
}

/** One run of a source. */
export interface SourceRunsTable {
  id: Generated<number>;
  source_id: number;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  window_from: string | null;
  window_until: string | null;
  via: string | null;
  requests: Generated<number>;
  added: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  skipped: Generated<number>;
  /** JSON list of { location, reason }. */
  skips: Generated<string>;
  message: string | null;
  lease_token: string | null;
}

/** A named lease (one per remote host) that one process at a time holds. */
export interface FetchLeasesTable {
  name: string;
  lease_token: string | null;
  lease_until: string | null;
}

/** The tables of migration 0010_sources. */
export interface SourceTables {
  sources: SourcesTable;
  source_runs: SourceRunsTable;
  fetch_leases: FetchLeasesTable;
}
