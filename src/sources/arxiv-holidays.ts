/**
 * arXiv's published holiday schedule: the US Eastern days on whose evening arXiv makes no announcement
 * ("deferred mailings"), so the listing dated the next day does not exist and its submissions go out with
 * the next announcement. Copied from "Availability of submissions", section "On Deferred Mailings":
 *
 * - 2023: https://github.com/arXiv/arxiv-docs, source/help/availability.md at commit
 *   01871500a9cf1e0c2b9b197dc4a529b9c098eb12 ("2023 Holidays").
 * - 2025: the same file at commit 782dfdf015f67b22cfea0e5398a5c9d3ebca8b49 ("2025 Holidays"; it says
 *   "December Holidays are not yet scheduled", and no later copy was available here).
 * - 2026: https://info.arxiv.org/help/availability.html ("2026 Holidays"), as quoted in 2026.
 *
 * No 2024 list was available. A date arXiv announces later (or a December not yet scheduled) goes in
 * ARXIV_HOLIDAYS (comma-separated days) rather than being guessed: a day the calendar expects and the
 * source does not deliver is reported late, then as a warning — never silently taken for a holiday.
 *
 * The meaning was checked against the 74,728-paper corpus of daily listings (2025-03 to 2026-07): no
 * listing is dated the day after 2025-06-19, 2025-07-06, 2025-09-01, 2026-01-01 or 2026-01-19. A Friday
 * holiday (2026-06-19) removes no listing, since Friday evenings have no announcement anyway.
 */

/** One published holiday: the Eastern day without an evening announcement, and its weekday as published. */
export interface ArxivHoliday {
  day: string;
  weekday: 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun';
}

/** Every published holiday, oldest first. */
export const ARXIV_HOLIDAYS: readonly ArxivHoliday[] = [
  // 2023
  { day: '2023-01-16', weekday: 'Mon' },
  { day: '2023-06-14', weekday: 'Wed' },
  { day: '2023-06-19', weekday: 'Mon' },
  { day: '2023-07-04', weekday: 'Tue' },
  { day: '2023-09-04', weekday: 'Mon' },
  { day: '2023-11-23', weekday: 'Thu' },
  { day: '2023-12-25', weekday: 'Mon' },
  { day: '2023-12-27', weekday: 'Wed' },
  // 2025
  { day: '2025-01-01', weekday: 'Wed' },
  { day: '2025-01-20', weekday: 'Mon' },
  { day: '2025-06-19', weekday: 'Thu' },
  { day: '2025-07-06', weekday: 'Sun' },
  { day: '2025-09-01', weekday: 'Mon' },
  { day: '2025-11-27', weekday: 'Thu' },
  // 2026
  { day: '2026-01-01', weekday: 'Thu' },
  { day: '2026-01-19', weekday: 'Mon' },
  { day: '2026-06-19', weekday: 'Fri' },
  { day: '2026-07-03', weekday: 'Fri' },
  { day: '2026-09-07', weekday: 'Mon' },
  { day: '2026-11-26', weekday: 'Thu' },
  { day: '2026-12-25', weekday: 'Fri' },
  { day: '2026-12-29', weekday: 'Tue' },
  { day: '2026-12-31', weekday: 'Thu' },
];
