/**
 * Listing periods — a day, an ISO week or a month — as the daily pages name and navigate them.
 * Pure calendar arithmetic on YYYY-MM-DD strings in UTC: arXiv listing days are calendar days, and the
 * server's own time zone must never shift them.
 */

/** A day (`2026-11-20`), an ISO week (`2026-W47`, Monday to Sunday) or a month (`2026-11`). */
export type Period = { kind: 'day'; day: string } | { kind: 'week'; year: number; week: number } | { kind: 'month'; year: number; month: number };

/** Which kind of period a page shows. */
export type PeriodKind = Period['kind'];

const DAY_MS = 86_400_000;
// Listing days outside these years are typos, not data (arXiv opened in 1991).
const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

const toMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const fromMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The day `n` days after (or before, when negative) a day. */
export function addDays(day: string, n: number): string {
  return fromMs(toMs(day) + n * DAY_MS);
}

/** Whether a string is a real calendar day in the supported years. */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const year = Number(value.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR && !Number.isNaN(toMs(value)) && fromMs(toMs(value)) === value;
}

/** How far ahead of today a listing day may lie: arXiv's next listing (tomorrow in zones ahead of UTC), never more. */
export const MAX_DAYS_AHEAD = 2;

/**
 * Whether a value can be a paper's listing day as of `now`: a real calendar day from 1990 on and at most
 * MAX_DAYS_AHEAD days after today (UTC). The one rule importers validate with and readers filter by, so a
 * typo such as `9999-12-31` can never become "the newest day".
 */
export function isListingDay(value: string, now = new Date()): boolean {
  return isDay(value) && value <= latestPossibleListingDay(now);
}

/** The last day `isListingDay` accepts as of `now`. */
export function latestPossibleListingDay(now = new Date()): string {
  return addDays(fromMs(now.getTime()), MAX_DAYS_AHEAD);
}

/** Monday is 1, Sunday 7 (ISO 8601). */
export function weekday(day: string): number {
  return ((new Date(toMs(day)).getUTCDay() + 6) % 7) + 1;
}

/** arXiv announces Sunday to Thursday evenings (US Eastern), so listing days are Monday to Friday. */
export function isWeekend(day: string): boolean {
  return weekday(day) >= 6;
}

/** The ISO week a day belongs to (the week with the year's first Thursday is week 1). */
export function isoWeekOf(day: string): { year: number; week: number } {
  const thursday = addDays(day, 4 - weekday(day));
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((toMs(thursday) - toMs(`${year}-01-01`)) / DAY_MS / 7) + 1;
  return { year, week };
}

/** Monday of an ISO week. */
function mondayOf(year: number, week: number): string {
  const jan4 = `${year}-01-04`;
  return addDays(jan4, 1 - weekday(jan4) + (week - 1) * 7);
}

/** Parses a period from its URL form; undefined when it is malformed or does not exist (week 53 of most years). */
export function parsePeriod(kind: PeriodKind, raw: string): Period | undefined {
  if (kind === 'day') return isDay(raw) ? { kind, day: raw } : undefined;
  if (kind === 'week') {
    const m = /^(\d{4})-W(\d{2})$/.exec(raw);
    if (!m) return undefined;
    const year = Number(m[1]);
    const week = Number(m[2]);
    if (year < MIN_YEAR || year > MAX_YEAR || week < 1 || week > 53) return undefined;
    return isoWeekOf(mondayOf(year, week)).year === year ? { kind, year, week } : undefined;
  }
  const m = /^(\d{4})-(\d{2})$/.exec(raw);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  return year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12 ? { kind, year, month } : undefined;
}

/** The URL form of a period: `2026-11-20`, `2026-W47`, `2026-11`. */
export function periodKey(p: Period): string {
  if (p.kind === 'day') return p.day;
  if (p.kind === 'week') return `${p.year}-W${pad(p.week)}`;
  return `${p.year}-${pad(p.month)}`;
}

/** First and last day of a period, inclusive. */
export function periodRange(p: Period): { from: string; to: string } {
  if (p.kind === 'day') return { from: p.day, to: p.day };
  if (p.kind === 'week') {
    const from = mondayOf(p.year, p.week);
    return { from, to: addDays(from, 6) };
  }
  const from = `${p.year}-${pad(p.month)}-01`;
  const next = p.month === 12 ? `${p.year + 1}-01-01` : `${p.year}-${pad(p.month + 1)}-01`;
  return { from, to: addDays(next, -1) };
}

/** The period of a given kind that contains a day. */
export function periodOf(kind: PeriodKind, day: string): Period {
  if (kind === 'day') return { kind, day };
  if (kind === 'week') return { kind, ...isoWeekOf(day) };
  return { kind, year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)) };
}

const LONG_DAY = new Intl.DateTimeFormat('en', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
const SHORT_DAY = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const MONTH = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'long', timeZone: 'UTC' });
const WEEKDAY = new Intl.DateTimeFormat('en', { weekday: 'long', timeZone: 'UTC' });

/** The weekday's name of a day: "Saturday". */
export function weekdayName(day: string): string {
  return WEEKDAY.format(toMs(day));
}

/** A heading for a period: "Friday, November 20, 2026", "Week 47 of 2026 (Nov 16 – Nov 22)", "November 2026". */
export function periodLabel(p: Period): string {
  const { from, to } = periodRange(p);
  if (p.kind === 'day') return LONG_DAY.format(toMs(p.day));
  if (p.kind === 'week') return `Week ${p.week} of ${p.year} (${SHORT_DAY.format(toMs(from))} – ${SHORT_DAY.format(toMs(to))})`;
  return MONTH.format(toMs(from));
}
