/**
 * Community picks, as Hugging Face's daily papers have them: the papers readers here submitted or upvoted
 * on a day. A day page shows the picks from its day up to the next listing day, so what readers do over a
 * weekend shows on Friday's page (the home page until Monday's listing).
 */
import type { Db } from '../db/database.ts';
import type { PaperFilter } from '../filter/paper-filter.ts';
import { addDays } from '../listings/period.ts';
import type { Paper } from '../papers/paper.ts';
import { getPapers } from '../papers/papers.repo.ts';
import { pickIds } from './picks.repo.ts';

/** How many picks a day page shows. */
export const PICKS_SHOWN = 10;

/** Days of activity, inclusive (`until` absent: up to now). */
export interface ActivityDays {
  from: string;
  until?: string;
}

/** Ids of the papers with most votes and submissions on those days that pass the filter. */
export async function communityPicks(db: Db, days: ActivityDays, filter: PaperFilter, limit = PICKS_SHOWN): Promise<number[]> {
  return pickIds(db, { fromAt: days.from, beforeAt: days.until ? addDays(days.until, 1) : undefined }, filter, limit);
}

/** The picks of a listing period as papers: activity from its first day until the day before `nextDay` (the next period with papers). */
export async function periodPicks(db: Db, from: string, nextDay: string | undefined, filter: PaperFilter): Promise<Paper[]> {
  const ids = await communityPicks(db, { from, until: nextDay ? addDays(nextDay, -1) : undefined }, filter);
  return getPapers(db.kysely, ids);
}
