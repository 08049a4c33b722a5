/**
 * The hotness score behind "trending": votes and age in one number that never needs to decay.
 *
 *   hotness = log10(upvotes + localVotes + 1) + (announced − EPOCH) / WINDOW
 *
 * `upvotes` are the ones imported from Hugging Face, `localVotes` the ones this instance's readers cast;
 * they are different people, so both count, one vote each.
 * Every tenfold rise in upvotes is worth one WINDOW (two days) of recency, so a paper with 99 upvotes
 * ranks level with an unvoted paper announced four days later. Age enters as the announcement time
 * itself, not "now minus announcement", so a stored score stays valid until the paper's upvotes or
 * listing day change — the form lobste.rs uses for stories — and is read back with a plain ORDER BY.
 */
import { isDay } from '../listings/period.ts';

/** The zero point of the age term: 2024-01-01T00:00:00Z. Only differences matter, so any fixed instant works. */
export const HOTNESS_EPOCH_SECONDS = 1_704_067_200;

/** Seconds of recency that equal a tenfold rise in upvotes. */
export const HOTNESS_WINDOW_SECONDS = 2 * 24 * 60 * 60;

/** What the score is computed from, as stored on a paper. */
export interface HotnessInput {
  /** Imported (Hugging Face) upvotes. */
  upvotes: number;
  /** Votes cast here (papers.local_votes); absent counts as none. */
  localVotes?: number;
  /** YYYY-MM-DD listing day; papers without one fall back to the published date. */
  announcedOn: string | null;
  publishedAt: string | null;
}

/**
 * The instant a paper counts as announced, in seconds: its listing day at 00:00 UTC (arXiv announces at
 * 20:00 US Eastern, 00:00 or 01:00 UTC), else its publication time, else the epoch (so undated papers sink).
 */
export function announcedSeconds(input: Pick<HotnessInput, 'announcedOn' | 'publishedAt'>): number {
  for (const value of [input.announcedOn, input.publishedAt]) {
    // Only real days count: a stored `9999-12-31` or `+275760-09-13` must not top trending forever.
    if (!value || !isDay(value.slice(0, 10))) continue;
    const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  return HOTNESS_EPOCH_SECONDS;
}

/** The hotness of one paper (see the module comment); negative or fractional counts count as whole votes from 0. */
export function hotness(input: HotnessInput): number {
  const whole = (n: number | undefined) => Math.max(0, Math.floor(n || 0));
  const votes = whole(input.upvotes) + whole(input.localVotes);
  return Math.log10(votes + 1) + (announcedSeconds(input) - HOTNESS_EPOCH_SECONDS) / HOTNESS_WINDOW_SECONDS;
}
