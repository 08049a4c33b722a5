/**
 * arXiv's announcement calendar, known rather than guessed from silence. arXiv announces at 20:00 US
 * Eastern (EST or EDT, whichever is in force), Sunday to Thursday evenings, except on its published
 * holidays (arxiv-holidays.ts); submissions received before 14:00 Eastern go out that evening (Sunday's
 * announcement carries Thursday 14:00 to Friday 14:00). A listing day, as the store dates papers, is the
 * UTC day of its announcement — the Eastern day after — so listing days are Monday to Friday.
 * Day arithmetic is listings/period.ts's; wall-clock hours are digest/calendar.ts's.
 */
import { zonedDay, zonedHourToUtc } from '../digest/calendar.ts';
import { addDays, isDay, weekday } from '../listings/period.ts';
import { ARXIV_HOLIDAYS } from './arxiv-holidays.ts';

/** The time zone arXiv's schedule is written in. */
export const ARXIV_TIME_ZONE = 'America/New_York';
/** Eastern hour of each announcement. */
const ANNOUNCE_HOUR = 20;
/** Eastern hour submissions must arrive by to make that evening's announcement. */
const CUTOFF_HOUR = 14;
/** Far enough to cross any run of holidays and weekends, near enough to stay cheap. */
const SEARCH_DAYS = 40;

/** The calendar in force: the published holidays plus any the configuration adds (ARXIV_HOLIDAYS). */
export interface ArxivCalendar {
  /** Eastern days whose evening has no announcement. */
  holidays: ReadonlySet<string>;
}

/** The calendar of the published holidays, plus `extraHolidays` (Eastern days without an evening announcement). */
export function arxivCalendar(extraHolidays: readonly string[] = []): ArxivCalendar {
  return { holidays: new Set([...ARXIV_HOLIDAYS.map((h) => h.day), ...extraHolidays]) };
}

/** Whether arXiv announces on the evening of the Eastern day `day`: Sunday to Thursday, not a holiday. */
export function announcesOn(cal: ArxivCalendar, day: string): boolean {
  const w = weekday(day);
  return (w <= 4 || w === 7) && !cal.holidays.has(day);
}

/** Whether a listing day should have papers: the evening before it (Eastern) has an announcement. */
export function isExpectedListingDay(cal: ArxivCalendar, day: string): boolean {
  return announcesOn(cal, addDays(day, -1));
}

/** The instant a listing day is announced: 20:00 Eastern the day before (00:00 UTC in summer, 01:00 in winter). */
export function announcementOf(listingDay: string): Date {
  return zonedHourToUtc(addDays(listingDay, -1), ANNOUNCE_HOUR, ARXIV_TIME_ZONE);
}

/** When submissions for the announcement on Eastern day `day` close: 14:00 that day, or Friday's for Sunday. */
function cutoffOf(day: string): number {
  return zonedHourToUtc(weekday(day) === 7 ? addDays(day, -2) : day, CUTOFF_HOUR, ARXIV_TIME_ZONE).getTime();
}

/** The newest listing day announced at or before `now`. */
export function latestListingDayAt(cal: ArxivCalendar, now: Date): string | undefined {
  let day = addDays(zonedDay(now, ARXIV_TIME_ZONE), 1);
  for (let i = 0; i < SEARCH_DAYS; i++, day = addDays(day, -1)) {
    if (isExpectedListingDay(cal, day) && announcementOf(day) <= now) return day;
  }
  return undefined;
}

/** The first listing day announced after `now`, and when. */
export function nextListingAfter(cal: ArxivCalendar, now: Date): { day: string; at: Date } {
  let day = zonedDay(now, ARXIV_TIME_ZONE);
  for (let i = 0; i < SEARCH_DAYS; i++, day = addDays(day, 1)) {
    if (!isExpectedListingDay(cal, day)) continue;
    const at = announcementOf(day);
    if (at > now) return { day, at };
  }
  throw new Error(`arXiv calendar: no announcement within ${SEARCH_DAYS} days of ${now.toISOString()}`);
}

/** The listing days from `from` to `to` (inclusive) that should have papers. */
export function expectedListingDays(cal: ArxivCalendar, from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) if (isExpectedListingDay(cal, day)) days.push(day);
  return days;
}

/** The `n` newest listing days announced by `now`, oldest first: what a new source backfills. */
export function lastListingDays(cal: ArxivCalendar, now: Date, n: number): string[] {
  const latest = latestListingDayAt(cal, now);
  if (!latest) return [];
  const days: string[] = [];
  for (let day = latest; days.length < n; day = addDays(day, -1)) if (isExpectedListingDay(cal, day)) days.unshift(day);
  return days;
}

/**
 * The listing day of a paper submitted at `submitted` (an ISO timestamp, or a bare day counted from its
 * start): the first announcement whose cut-off comes after it. That is the earliest day it can be listed;
 * moderation may hold a paper longer, which only the listing itself (the OAI datestamp) can tell.
 */
export function listingDayOfSubmission(cal: ArxivCalendar, submitted: string): string | undefined {
  const t = isDay(submitted) ? Date.parse(`${submitted}T00:00:00Z`) : Date.parse(submitted);
  if (Number.isNaN(t)) return undefined;
  // Sunday's announcement takes submissions from Thursday 14:00, so the search starts two days back.
  let day = addDays(zonedDay(new Date(t), ARXIV_TIME_ZONE), -2);
  for (let i = 0; i < SEARCH_DAYS; i++, day = addDays(day, 1)) {
    if (announcesOn(cal, day) && cutoffOf(day) > t) return addDays(day, 1);
  }
  return undefined;
}
