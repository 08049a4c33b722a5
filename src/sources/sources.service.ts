/**
 * The rules of sources, shared by the admin page, the CLI and the scheduler: what a valid source is, adding
 * (by an admin, the CLI or the environment's seeds), removing and switching off, and how each one is doing —
 * late, failing, or fine — including whether a listing day's fetch has settled, which the digest waits for.
 * No HTTP here and no SQL (sources.repo.ts).
 */
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { SourceKind } from '../db/schema.sources.ts';
import { PHYSICS_ARCHIVES } from '../fetch/arxiv.ts';
import { isDay } from '../listings/period.ts';
import { httpUrl } from '../papers/links.ts';
import { announcementOf, arxivCalendar, isExpectedListingDay, latestListingDayAt, type ArxivCalendar } from './calendar.ts';
import { sourceLabel } from './describe.ts';
import { DEFAULT_SCHEDULE, formatSchedule, parseSchedule, planRun } from './schedule.ts';
import * as repo from './sources.repo.ts';
import { calendarOf, progressOf } from './runner.ts';

/** Archives an arXiv source may name, alone (`cs`) or with a subject class (`cs.LG`). */
const ARXIV_ARCHIVES = new Set(['cs', 'econ', 'eess', 'math', 'q-bio', 'q-fin', 'stat', ...PHYSICS_ARCHIVES]);

/** A source as an admin, the CLI or the environment describes it; checked by `checkSource`. */
export const sourceInputSchema = z.object({
  kind: z.enum(['arxiv', 'hf-daily', 'feed']),
  target: z.string().trim().max(2048).default(''),
  schedule: z.string().trim().max(40).optional(),
  backfillFrom: z.string().trim().max(10).optional(),
});

/** What a source description may hold before it is checked. */
export type SourceInput = z.input<typeof sourceInputSchema>;

/** A description that is not a source, with a message for the person who typed it. */
export class SourceInputError extends Error {}

/** A checked source: its kind, normalized target, schedule and backfill start. */
export interface CheckedSource {
  kind: SourceKind;
  target: string;
  schedule: string;
  backfillFrom: string | null;
}

/** Checks and normalizes a source description; throws SourceInputError naming what is wrong. */
export function checkSource(input: SourceInput): CheckedSource {
  const parsed = sourceInputSchema.safeParse(input);
  if (!parsed.success) throw new SourceInputError(`source: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { kind, schedule: asked, backfillFrom } = parsed.data;
  let target = parsed.data.target;
  if (kind === 'arxiv') {
    const m = /^([a-z-]+)(?:\.([A-Za-z-]+))?$/.exec(target);
    if (!m || !ARXIV_ARCHIVES.has(m[1])) throw new SourceInputError(`source: “${target.slice(0, 60)}” is not an arXiv category or archive (e.g. cs.LG, cs, hep-th)`);
  } else if (kind === 'feed') {
    const url = httpUrl(target);
    if (!url) throw new SourceInputError(`source: a feed needs an http(s) URL, got “${target.slice(0, 60)}”`);
    target = url;
  } else target = '';
  const schedule = parseSchedule(asked || DEFAULT_SCHEDULE[kind]);
  if (!schedule) throw new SourceInputError(`source: schedule “${asked}” is not “listing”, “every 30m”, “every 6h”, “hourly” or “daily”`);
  if (schedule.kind === 'listing' && kind !== 'arxiv') throw new SourceInputError('source: only arXiv sources run on the listing schedule; give “every 2h” or the like');
  if (backfillFrom && !isDay(backfillFrom)) throw new SourceInputError(`source: backfill start “${backfillFrom}” is not a day (YYYY-MM-DD)`);
  return { kind, target, schedule: formatSchedule(schedule), backfillFrom: backfillFrom || null };
}

/** Adds a source; `created` is false when it existed already (it is left as it is). */
export async function addSource(db: Db, input: SourceInput, origin: 'env' | 'admin' | 'cli', now = new Date()): Promise<{ id: number; created: boolean; label: string }> {
  const s = checkSource(input);
  // Looked up first: an insert that meets the unique key still uses up a number of the id sequence.
  const existing = await repo.findSource(db.kysely, s.kind, s.target);
  const id = existing ? undefined : await repo.insertSource(db.kysely, { kind: s.kind, target: s.target, schedule: s.schedule, backfill_from: s.backfillFrom, origin, created_at: now.toISOString() });
  if (id !== undefined) return { id, created: true, label: sourceLabel(s) };
  return { id: (existing ?? (await repo.findSource(db.kysely, s.kind, s.target)))!.id, created: false, label: sourceLabel(s) };
}

/** Removes a source and its runs; the papers it brought stay. */
export function removeSource(db: Db, id: number): Promise<boolean> {
  return repo.deleteSource(db.kysely, id);
}

/** Switches a source on or off; switching on clears its backoff, so it runs at the next tick. */
export function setSourceEnabled(db: Db, id: number, enabled: boolean): Promise<boolean> {
  return repo.updateSource(db.kysely, id, enabled ? { enabled: 1, next_attempt_at: null, failures: 0 } : { enabled: 0 });
}

/**
 * Adds the sources the environment names (FETCH_ARXIV, FETCH_HF_DAILY) that do not exist yet. One an admin
 * switched off stays off, and one removed is added again: the environment says what to follow.
 */
export async function seedSources(db: Db, config: Pick<Config, 'sources'>, now = new Date()): Promise<string[]> {
  const wanted: SourceInput[] = config.sources.arxivSeeds.map((target) => ({ kind: 'arxiv' as const, target }));
  if (config.sources.hfDailySeed) wanted.push({ kind: 'hf-daily' });
  const added: string[] = [];
  for (const input of wanted) {
    const r = await addSource(db, input, 'env', now);
    if (r.created) added.push(r.label);
  }
  return added;
}

/** How a source is doing, for the admin page and `paperboy sources status`. */
export interface SourceStatus {
  source: repo.SourceRow;
  label: string;
  health: 'ok' | 'running' | 'late' | 'warning' | 'failing' | 'never' | 'disabled';
  /** What is wrong, in a sentence, when something is. */
  warning?: string;
  lastRun?: repo.RunRow;
  nextRunAt?: Date;
}

/** Every source with its health, and the newest runs of all of them. */
export async function sourcesOverview(db: Db, config: Pick<Config, 'sources'>, now = new Date(), runLimit = 40): Promise<{ sources: SourceStatus[]; runs: (repo.RunRow & { label: string })[] }> {
  const cal = calendarOf(config);
  const sources = await repo.listSources(db.kysely);
  const latest = await repo.latestRunBySource(db.kysely);
  const labels = new Map(sources.map((s) => [s.id, sourceLabel(s)]));
  const runs = (await repo.recentRuns(db.kysely, runLimit)).map((r) => ({ ...r, label: labels.get(r.source_id) ?? `source ${r.source_id}` }));
  return { sources: sources.map((s) => statusOf(s, latest.get(s.id), cal, config.sources.backfillDays, now)), runs };
}

function statusOf(source: repo.SourceRow, lastRun: repo.RunRow | undefined, cal: ArxivCalendar, backfillDays: number, now: Date): SourceStatus {
  const base = { source, label: sourceLabel(source), lastRun };
  if (source.enabled !== 1) return { ...base, health: 'disabled' };
  const plan = planRun(progressOf(source), now, cal, backfillDays);
  const nextRunAt = plan.due ? now : plan.at;
  const pending = JSON.parse(source.pending_days) as string[];
  const at = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  if (lastRun?.status === 'running') return { ...base, health: 'running', nextRunAt };
  if (!lastRun) return { ...base, health: 'never', nextRunAt, warning: 'waiting for its first run' };
  if (lastRun.status === 'failed') {
    const since = source.last_success_at ? `no success since ${at(source.last_success_at)}` : 'never succeeded';
    return { ...base, health: 'failing', nextRunAt, warning: `failing (${since}): ${lastRun.message ?? 'unknown error'}` };
  }
  if (pending.length) return { ...base, health: 'late', nextRunAt, warning: `late: ${pending.join(', ')} not delivered yet` };
  // A source that should have settled the newest listing an hour after its announcement, and has not, is late too.
  const due = source.kind === 'arxiv' ? latestListingDayAt(cal, new Date(now.getTime() - 3600_000)) : undefined;
  if (due && (!source.completed_through || source.completed_through < due)) return { ...base, health: 'late', nextRunAt, warning: `late: the listing of ${due} is not fetched yet` };
  if (lastRun.status === 'warning') return { ...base, health: 'warning', nextRunAt, warning: lastRun.message ?? undefined };
  return { ...base, health: 'ok', nextRunAt };
}

/**
 * Whether `day`'s digest may be prepared: every enabled arXiv source has settled that listing (fetched it,
 * or given it up with a warning), or `deadlineHours` have passed since its announcement. A day arXiv does not
 * list (a weekend, a holiday) and a store without arXiv sources wait for nothing.
 */
export async function dayFetchSettled(db: Db, day: string, now: Date, deadlineHours: number, cal = arxivCalendar()): Promise<{ settled: boolean; waitingFor: string[] }> {
  if (!isExpectedListingDay(cal, day)) return { settled: true, waitingFor: [] };
  const sources = (await repo.listSources(db.kysely)).filter((s) => s.kind === 'arxiv' && s.enabled === 1);
  const waitingFor = sources
    .filter((s) => !s.completed_through || s.completed_through < day || (JSON.parse(s.pending_days) as string[]).includes(day))
    .map(sourceLabel);
  const deadline = announcementOf(day).getTime() + deadlineHours * 3600_000;
  return { settled: waitingFor.length === 0 || now.getTime() >= deadline, waitingFor };
}
