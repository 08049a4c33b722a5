/** Local hours in IANA time zones, without a date library (day arithmetic lives in listings/period.ts). */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes the zone is ahead of UTC at a given instant (DST included). */
function offsetMinutes(timeZone: string, at: Date): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}

/**
 * The instant at which it is `hour`:00 on `day` in `timeZone`. On a DST change the wall-clock hour may not
 * exist (spring forward) — then the instant an hour later is used, which is what a clock shows.
 */
export function zonedHourToUtc(day: string, hour: number, timeZone: string): Date {
  const wall = Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
  let guess = wall - offsetMinutes(timeZone, new Date(wall)) * 60000;
  // A second pass settles the offset when the first guess landed on the other side of a DST change.
  guess = wall - offsetMinutes(timeZone, new Date(guess)) * 60000;
  return new Date(guess);
}

/** The calendar day an instant falls on in `timeZone` (the wall clock's date there, DST included). */
export function zonedDay(at: Date, timeZone: string): string {
  return new Date(at.getTime() + offsetMinutes(timeZone, at) * 60000).toISOString().slice(0, 10);
}

/** Today's date in UTC. */
export function utcDay(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
