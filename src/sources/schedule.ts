/**
 * When a source is due and what it asks for — pure rules over a source's stored progress, the clock and
 * arXiv's calendar (no SQL, no HTTP). An arXiv source is due after each announcement and harvests from the
 * day after the last settled one (or from the days it still watches for: a day the calendar expects and
 * the source did not deliver, which OAI-PMH's lag behind the listing explains); the Hugging Face list and
 * feeds are due on an interval. Failures back off; a server's Retry-After wins when it asks for longer.
 */
import type { SourceKind } from '../db/schema.sources.ts';
import { addDays, isDay } from '../listings/period.ts';
import { announcementOf, lastListingDays, latestListingDayAt, nextListingAfter, type ArxivCalendar } from './calendar.ts';

/** How often a source runs: after each arXiv announcement, or every so many minutes. */
export type Schedule = { kind: 'listing' } | { kind: 'every'; minutes: number };

/** The schedule a new source gets when none is given. */
export const DEFAULT_SCHEDULE: Record<SourceKind, string> = { arxiv: 'listing', 'hf-daily': 'every 2h', feed: 'every 1h' };

/** The first try comes this long after an announcement: OAI-PMH needs a few minutes to catch up with the listing. */
export const FIRST_TRY_MS = 10 * 60_000;
/** A day the calendar expects is watched for this long after its announcement, then given up with a warning. */
export const LATE_GIVE_UP_MS = 24 * 3600_000;
const MINUTE = 60_000;

/** Reads `listing`, `every 30m`, `every 2h`, `hourly`, `daily`; undefined for anything else. */
export function parseSchedule(text: string): Schedule | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'listing') return { kind: 'listing' };
  if (s === 'hourly') return { kind: 'every', minutes: 60 };
  if (s === 'daily') return { kind: 'every', minutes: 1440 };
  const m = /^every\s+(\d{1,4})\s*(m|min|h)$/.exec(s);
  if (!m) return undefined;
  const minutes = Number(m[1]) * (m[2] === 'h' ? 60 : 1);
  return minutes >= 5 && minutes <= 7 * 1440 ? { kind: 'every', minutes } : undefined;
}

/** The stored spelling of a schedule. */
export function formatSchedule(s: Schedule): string {
  if (s.kind === 'listing') return 'listing';
  return s.minutes % 60 === 0 ? `every ${s.minutes / 60}h` : `every ${s.minutes}m`;
}

/** What the planner needs of a source. */
export interface Progress {
  kind: SourceKind;
  schedule: string;
  backfillFrom: string | null;
  completedThrough: string | null;
  pendingDays: string[];
  resumeToken: string | null;
  resumeFrom: string | null;
  nextAttemptAt: string | null;
  lastRunAt: string | null;
}

/** A run to make now: the listing days it asks for (`from` to `until`), and an OAI token to go on from. */
export interface DuePlan {
  due: true;
  from: string;
  until: string;
  resumeToken?: string;
}

/** Whether a source is due at `now`, and if not, when it will be (undefined: only when something changes). */
export type Plan = DuePlan | { due: false; at?: Date };

/** The first day a new source fetches: its backfill start, or the last `backfillDays` listing days. */
export function backfillStart(p: Pick<Progress, 'backfillFrom'>, cal: ArxivCalendar, now: Date, backfillDays: number): string {
  if (p.backfillFrom && isDay(p.backfillFrom)) return p.backfillFrom;
  const days = lastListingDays(cal, now, Math.max(1, backfillDays));
  return days[0] ?? now.toISOString().slice(0, 10);
}

/** The plan for a source at `now`. */
export function planRun(p: Progress, now: Date, cal: ArxivCalendar, backfillDays: number): Plan {
  const notBefore = p.nextAttemptAt ? new Date(p.nextAttemptAt) : undefined;
  if (notBefore && notBefore > now) return { due: false, at: notBefore };
  const schedule = parseSchedule(p.schedule) ?? parseSchedule(DEFAULT_SCHEDULE[p.kind])!;
  const start = p.completedThrough ? addDays(p.completedThrough, 1) : backfillStart(p, cal, now, backfillDays);
  if (p.kind !== 'arxiv') {
    const today = now.toISOString().slice(0, 10);
    // Lists and feeds change during the day (new entries, votes): the last settled day is read again too.
    const from = p.completedThrough ? addDays(p.completedThrough, -1) : start;
    if (!p.lastRunAt) return { due: true, from, until: today };
    const next = new Date(Date.parse(p.lastRunAt) + (schedule.kind === 'every' ? schedule.minutes : 24 * 60) * MINUTE);
    return next <= now ? { due: true, from, until: today } : { due: false, at: next };
  }
  if (p.resumeToken) return { due: true, from: p.resumeFrom ?? start, until: latestListingDayAt(cal, now) ?? start, resumeToken: p.resumeToken };
  const target = latestListingDayAt(cal, new Date(now.getTime() - FIRST_TRY_MS));
  const from = [start, ...p.pendingDays].sort()[0];
  const work = target !== undefined && (from <= target || p.pendingDays.length > 0);
  if (!work) {
    const next = nextListingAfter(cal, new Date(now.getTime() - FIRST_TRY_MS));
    return { due: false, at: new Date(next.at.getTime() + FIRST_TRY_MS) };
  }
  if (schedule.kind === 'every' && p.lastRunAt && Date.parse(p.lastRunAt) + schedule.minutes * MINUTE > now.getTime()) {
    return { due: false, at: new Date(Date.parse(p.lastRunAt) + schedule.minutes * MINUTE) };
  }
  return { due: true, from, until: target };
}

/**
 * The plan of a run asked for by hand (`paperboy sources run`, "Run now"): due whatever the schedule and
 * backoff say; an arXiv source with nothing new reads its last settled day again.
 */
export function forcedPlan(p: Progress, now: Date, cal: ArxivCalendar, backfillDays: number): DuePlan {
  const plan = planRun({ ...p, nextAttemptAt: null, lastRunAt: null }, new Date(now.getTime() + FIRST_TRY_MS), cal, backfillDays);
  if (plan.due) return plan;
  const until = latestListingDayAt(cal, now) ?? now.toISOString().slice(0, 10);
  return { due: true, from: p.completedThrough ?? until, until };
}

/** Which of a harvest's expected days arrived, which are still awaited, and which are given up. */
export interface Settlement {
  pending: string[];
  givenUp: string[];
}

/**
 * Settles a harvest: `expected` days with records arrived; the others stay watched until LATE_GIVE_UP_MS
 * after their announcement, then are given up (a warning: the day should have had papers).
 */
export function settleDays(expected: string[], arrived: (day: string) => boolean, now: Date): Settlement {
  const pending: string[] = [];
  const givenUp: string[] = [];
  for (const day of expected) {
    if (arrived(day)) continue;
    if (now.getTime() < announcementOf(day).getTime() + LATE_GIVE_UP_MS) pending.push(day);
    else givenUp.push(day);
  }
  return { pending, givenUp };
}

/**
 * The next try for a day not yet there: twice as long after its announcement as it has been missing so
 * far (10 minutes at least, 2 hours at most) — frequent while OAI-PMH usually catches up, rarer later.
 */
export function lateRetryAt(day: string, now: Date): Date {
  const missingFor = now.getTime() - announcementOf(day).getTime();
  return new Date(now.getTime() + Math.min(120 * MINUTE, Math.max(10 * MINUTE, missingFor)));
}

/** The next try after `failures` failures in a row: 5 minutes, doubling, at most 2 hours — or later, if the server asked. */
export function failureRetryAt(failures: number, now: Date, retryAfterMs?: number): Date {
  const backoff = Math.min(120 * MINUTE, 5 * MINUTE * 2 ** Math.max(0, failures - 1));
  return new Date(now.getTime() + Math.max(backoff, retryAfterMs ?? 0));
}
