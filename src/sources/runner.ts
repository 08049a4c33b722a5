/**
 * Runs the sources that are due. Per remote host, one process at a time holds a lease in the database
 * (`host:export.arxiv.org`), so several instances on one PostgreSQL run each harvest once and never ask a
 * host two requests at a time; the holder runs that host's due sources in turn, renewing the lease with
 * every page. Each run is stored with its counts, first skips and outcome; a run whose process died is
 * marked interrupted by the next holder, which goes on from the last committed page.
 */
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { RunStatus } from '../db/schema.sources.ts';
import { parseInThread, type PageParser } from '../fetch/page-parser.ts';
import type { Mailer } from '../mail/mailer.ts';
import { alertIfFailingForADay } from './alert-mail.tsx';
import { arxivCalendar, type ArxivCalendar } from './calendar.ts';
import type { ClientPool } from './clients.ts';
import { hostOf, sourceLabel } from './describe.ts';
import { harvestArxiv } from './harvest-arxiv.ts';
import { harvestFeed, harvestHfDaily } from './harvest-lists.ts';
import { Stopped, type Endpoints, type Harvester, type HarvestIo, type PageWrite } from './harvest.ts';
import { failureRetryAt, forcedPlan, planRun, type DuePlan, type Progress } from './schedule.ts';
import * as repo from './sources.repo.ts';

/** How long a host lease lasts without renewal: a page (with the client's retries) fits well within it. */
export const LEASE_SECONDS = 300;
/** Skips kept with a run (the count is exact; the list is for reading). */
const SKIPS_KEPT = 50;

const HARVESTERS: Record<repo.SourceRow['kind'], Harvester> = { arxiv: harvestArxiv, 'hf-daily': harvestHfDaily, feed: harvestFeed };

/** What running sources needs. */
export interface RunnerDeps {
  db: Db;
  config: Pick<Config, 'sources' | 'mail' | 'publicBaseUrl'>;
  clients: ClientPool;
  /** Where pages are parsed; a server passes a WorkerPageParser (default: this thread, as the CLI does). */
  parse?: PageParser;
  now?: () => Date;
  leaseSeconds?: number;
  /** Set when the server stops: a harvest ends after its current page, its progress kept. */
  signal?: AbortSignal;
  /** Where failure alerts go (default: the configured mailer). */
  mailer?: Mailer;
}

/** What one source's run came to ('busy': another process holds its host). */
export interface RunReport {
  sourceId: number;
  label: string;
  status: RunStatus | 'busy';
  message?: string;
  added: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

/** The endpoints of a configuration. */
export function endpointsOf(config: Pick<Config, 'sources'>): Endpoints {
  return { arxivOai: config.sources.arxivOaiUrl, arxivApi: config.sources.arxivApiUrl, hfApi: config.sources.hfApiUrl };
}

/** The calendar of a configuration: the published holidays and ARXIV_HOLIDAYS. */
export function calendarOf(config: Pick<Config, 'sources'>): ArxivCalendar {
  return arxivCalendar(config.sources.extraHolidays);
}

/** A stored source as the planner reads it. */
export function progressOf(s: repo.SourceRow): Progress {
  return {
    kind: s.kind,
    schedule: s.schedule,
    backfillFrom: s.backfill_from,
    completedThrough: s.completed_through,
    pendingDays: JSON.parse(s.pending_days) as string[],
    resumeToken: s.resume_token,
    resumeFrom: s.resume_from,
    nextAttemptAt: s.next_attempt_at,
    lastRunAt: s.last_run_at,
  };
}

/**
 * Runs every enabled source that is due (or `sourceIds`, now, whatever their schedule, when `force`).
 * Sources of different hosts run side by side; a host another process holds is left to it.
 */
export async function runDueSources(deps: RunnerDeps, opts: { sourceIds?: number[]; force?: boolean } = {}): Promise<RunReport[]> {
  const endpoints = endpointsOf(deps.config);
  const all = await repo.listSources(deps.db.kysely);
  const chosen = all.filter((s) => (opts.sourceIds ? opts.sourceIds.includes(s.id) : s.enabled === 1));
  const byHost = new Map<string, repo.SourceRow[]>();
  for (const s of chosen) (byHost.get(hostOf(s, endpoints)) ?? byHost.set(hostOf(s, endpoints), []).get(hostOf(s, endpoints))!).push(s);
  const reports = await Promise.all([...byHost].map(([host, sources]) => runHost(deps, host, sources, opts.force ?? false)));
  return reports.flat();
}

async function runHost(deps: RunnerDeps, host: string, sources: repo.SourceRow[], force: boolean): Promise<RunReport[]> {
  const now = deps.now ?? (() => new Date());
  const lease = `host:${host}`;
  const seconds = deps.leaseSeconds ?? LEASE_SECONDS;
  const token = await repo.claimLease(deps.db.kysely, lease, seconds, now());
  if (!token) return force ? sources.map((s) => ({ ...zero(s), status: 'busy' as const, message: `another process is fetching from ${host}` })) : [];
  const reports: RunReport[] = [];
  try {
    await repo.interruptOrphanedRuns(deps.db.kysely, sources.map((s) => s.id), token, now());
    const cal = calendarOf(deps.config);
    for (const { id } of sources) {
      if (deps.signal?.aborted) break;
      // Read again under the lease: another process may have run it since the list was read.
      const source = await repo.getSource(deps.db.kysely, id);
      if (!source) continue;
      const progress = progressOf(source);
      const plan = force ? forcedPlan(progress, now(), cal, deps.config.sources.backfillDays) : planRun(progress, now(), cal, deps.config.sources.backfillDays);
      if (!plan.due) continue;
      reports.push(await runOne(deps, { lease, token, seconds, cal, host }, source, plan));
    }
  } finally {
    await repo.releaseLease(deps.db.kysely, lease, token);
  }
  return reports;
}

interface Held {
  lease: string;
  token: string;
  seconds: number;
  cal: ArxivCalendar;
  host: string;
}

async function runOne(deps: RunnerDeps, held: Held, source: repo.SourceRow, plan: DuePlan): Promise<RunReport> {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const runId = await repo.startRun(db.kysely, { source_id: source.id, window_from: plan.from, window_until: plan.until, via: null, lease_token: held.token }, now());
  const counts: repo.RunCounts = { requests: 0, added: 0, updated: 0, unchanged: 0, skipped: 0, skips: [] };
  // Writes that must only happen while the lease is still ours: otherwise they roll back and the run stops.
  const underLease = (work: (trx: typeof db.kysely) => Promise<void>) =>
    db.kysely.transaction().execute(async (trx) => {
      if (!(await repo.renewLease(trx, held.lease, held.token, held.seconds, now()))) throw new Stopped(`lost the lease on ${held.host} to another process`);
      await work(trx);
    });
  const io: HarvestIo = {
    db,
    client: deps.clients.for(held.host, source.kind),
    parse: deps.parse ?? parseInThread,
    now,
    cal: held.cal,
    endpoints: endpointsOf(deps.config),
    async committed(page: PageWrite) {
      add(counts, page);
      await underLease(async (trx) => {
        await repo.writeRun(trx, runId, counts);
        if (page.resumeToken !== undefined) {
          const resuming = page.resumeToken !== null;
          await repo.updateSource(trx, source.id, { resume_token: page.resumeToken, resume_from: resuming ? plan.from : null, resume_days: resuming ? JSON.stringify(page.days ?? {}) : null });
        }
      });
      if (deps.signal?.aborted) throw new Stopped('the server is stopping');
    },
  };
  const report = (status: RunReport['status'], message?: string): RunReport => ({
    ...zero(source),
    ...{ added: counts.added, updated: counts.updated, unchanged: counts.unchanged, skipped: counts.skipped },
    status,
    message,
  });
  try {
    const outcome = await HARVESTERS[source.kind](io, source, plan);
    const succeeded = outcome.status !== 'late';
    await underLease(async (trx) => {
      await repo.writeRun(trx, runId, counts, { status: outcome.status, message: outcome.message, via: outcome.via, now: now() });
      await repo.updateSource(trx, source.id, { ...outcome.patch, failures: 0, last_run_at: now().toISOString(), ...(succeeded ? { last_success_at: now().toISOString() } : {}) });
    });
    return report(outcome.status, outcome.message);
  } catch (err) {
    if (err instanceof Stopped) {
      // Lost lease: the new holder marks this run interrupted. Stopping: say so now, while the lease is ours.
      if (deps.signal?.aborted) await repo.writeRun(db.kysely, runId, counts, { status: 'interrupted', message: 'stopped with the server; the next run goes on from its last page', now: now() });
      return report('interrupted', err.message);
    }
    const message = err instanceof Error ? err.message : String(err);
    const failures = source.failures + 1;
    // HarvestFailed and HttpError carry the wait a server asked for.
    const retryAt = failureRetryAt(failures, now(), (err as { retryAfterMs?: number }).retryAfterMs);
    await underLease(async (trx) => {
      await repo.writeRun(trx, runId, counts, { status: 'failed', message, now: now() });
      await repo.updateSource(trx, source.id, { failures, next_attempt_at: retryAt.toISOString(), last_run_at: now().toISOString() });
    }).catch(() => undefined);
    await alertIfFailingForADay(db, deps.config, source, message, now(), deps.mailer).catch(() => false);
    return report('failed', message);
  }
}

function add(counts: repo.RunCounts, page: PageWrite): void {
  counts.requests += page.requests;
  if (!page.report) return;
  counts.added += page.report.added;
  counts.updated += page.report.updated;
  counts.unchanged += page.report.unchanged;
  counts.skipped += page.report.skipped.length;
  for (const skip of page.report.skipped) if (counts.skips.length < SKIPS_KEPT) counts.skips.push(skip);
}

function zero(s: repo.SourceRow): RunReport {
  return { sourceId: s.id, label: sourceLabel(s), status: 'success', added: 0, updated: 0, unchanged: 0, skipped: 0 };
}
