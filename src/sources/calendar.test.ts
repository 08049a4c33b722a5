import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { weekday } from '../listings/period.ts';
import { ARXIV_HOLIDAYS } from './arxiv-holidays.ts';
import {
  announcementOf,
  arxivCalendar,
  expectedListingDays,
  isExpectedListingDay,
  lastListingDays,
  latestListingDayAt,
  listingDayOfSubmission,
  nextListingAfter,
} from './calendar.ts';

const cal = arxivCalendar();
const at = (iso: string) => new Date(iso);

describe('arXiv calendar', () => {
  it('announces at 20:00 US Eastern, in summer time and in winter time', () => {
    // Thursday 5 March 2026, EST (UTC-5); Sunday 8 March 2026 is the first day of EDT (UTC-4).
    assert.equal(announcementOf('2026-03-06').toISOString(), '2026-03-06T01:00:00.000Z');
    assert.equal(announcementOf('2026-03-09').toISOString(), '2026-03-09T00:00:00.000Z');
    // Sunday 1 November 2026 is the first day of EST again.
    assert.equal(announcementOf('2026-10-30').toISOString(), '2026-10-30T00:00:00.000Z');
    assert.equal(announcementOf('2026-11-02').toISOString(), '2026-11-02T01:00:00.000Z');
  });

  it('knows weekends and the published holidays: a week with a Thursday holiday has four listings', () => {
    // Thursday 19 June 2025 (Juneteenth): no announcement that evening, so no listing dated Friday the 20th.
    assert.deepEqual(expectedListingDays(cal, '2025-06-15', '2025-06-22'), ['2025-06-16', '2025-06-17', '2025-06-18', '2025-06-19']);
    // Sunday 6 July 2025: no Monday listing; Friday 4 July is not a holiday arXiv lists, and Fridays have no announcement anyway.
    assert.deepEqual(expectedListingDays(cal, '2025-07-04', '2025-07-09'), ['2025-07-04', '2025-07-08', '2025-07-09']);
    assert.ok(!isExpectedListingDay(cal, '2025-06-21'), 'Saturday');
    assert.ok(!isExpectedListingDay(cal, '2025-06-22'), 'Sunday');
    assert.ok(isExpectedListingDay(cal, '2026-06-19'), 'a Friday holiday (19 June 2026) removes no listing: Thursday evening still announces');
    assert.ok(!isExpectedListingDay(cal, '2026-01-02'), 'Thursday 1 January 2026');
  });

  it('takes further deferred mailings from the configuration', () => {
    const withExtra = arxivCalendar(['2025-12-30']);
    assert.ok(isExpectedListingDay(cal, '2025-12-31'));
    assert.ok(!isExpectedListingDay(withExtra, '2025-12-31'));
  });

  it('says which listing is the newest at an instant, and when the next one comes', () => {
    // Friday noon after the Juneteenth holiday: the newest listing is Thursday's.
    assert.equal(latestListingDayAt(cal, at('2025-06-20T16:00:00Z')), '2025-06-19');
    // 19:59 and 20:00 EDT on Wednesday 18 June: Thursday's listing appears at 20:00.
    assert.equal(latestListingDayAt(cal, at('2025-06-18T23:59:00Z')), '2025-06-18');
    assert.equal(latestListingDayAt(cal, at('2025-06-19T00:00:00Z')), '2025-06-19');
    const next = nextListingAfter(cal, at('2025-06-20T16:00:00Z'));
    assert.deepEqual([next.day, next.at.toISOString()], ['2025-06-23', '2025-06-23T00:00:00.000Z']);
    // After Sunday 6 July (holiday) the next listing is Tuesday's, announced Monday evening.
    assert.equal(nextListingAfter(cal, at('2025-07-05T12:00:00Z')).day, '2025-07-08');
  });

  it('lists the last listing days for a backfill, skipping weekends and holidays', () => {
    assert.deepEqual(lastListingDays(cal, at('2025-06-24T12:00:00Z'), 7), [
      '2025-06-13', '2025-06-16', '2025-06-17', '2025-06-18', '2025-06-19', '2025-06-23', '2025-06-24',
    ]);
  });

  it('dates a submission by the announcement that carries it (14:00 US Eastern cut-off)', () => {
    // Tuesday 11:35 EDT: announced Tuesday 20:00, listed Wednesday.
    assert.equal(listingDayOfSubmission(cal, '2022-06-14T15:35:46Z'), '2022-06-15');
    // Tuesday 15:00 EDT, after the cut-off: announced Wednesday, listed Thursday.
    assert.equal(listingDayOfSubmission(cal, '2022-06-14T19:00:00Z'), '2022-06-16');
    // Friday 13:00 EDT: Sunday's announcement, Monday's listing; Friday 15:00: Monday's announcement, Tuesday's listing.
    assert.equal(listingDayOfSubmission(cal, '2025-06-20T17:00:00Z'), '2025-06-23');
    assert.equal(listingDayOfSubmission(cal, '2025-06-20T19:00:00Z'), '2025-06-24');
    // Thursday 19 June 2025 at 11:00 EDT: that evening is a holiday, so Sunday's announcement carries it.
    assert.equal(listingDayOfSubmission(cal, '2025-06-19T15:00:00Z'), '2025-06-23');
    // Winter time: Monday 12 January 2026 13:59 EST is before the cut-off, 14:01 after it.
    assert.equal(listingDayOfSubmission(cal, '2026-01-12T18:59:00Z'), '2026-01-13');
    assert.equal(listingDayOfSubmission(cal, '2026-01-12T19:01:00Z'), '2026-01-14');
    // A bare day (the OAI `arXiv` format's <created>) counts from its start: the earliest listing it can have.
    assert.equal(listingDayOfSubmission(cal, '2017-06-16'), '2017-06-19');
  });

  it('holds holiday data whose weekdays agree with the published list', () => {
    const names = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    for (const { day, weekday: label } of ARXIV_HOLIDAYS) assert.equal(names[weekday(day)], label, day);
    assert.ok(ARXIV_HOLIDAYS.length >= 20);
  });
});
