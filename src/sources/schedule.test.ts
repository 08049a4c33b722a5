/**
 * A scheduled arXiv source on a simulated clock, against a replay of arXiv's OAI-PMH on a real local
 * server: a week with a holiday (no run on a day arXiv does not announce), a day that comes out late (retries
 * until it is there), a day that never comes (a warning, not a success). Every listing day of the week is
 * stored with its real listing day.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { newPapers, startOaiReplay, type OaiReplay } from '../fetch/oai-replay.ts';
import { announcementOf, arxivCalendar, expectedListingDays } from './calendar.ts';
import { addSource, dayFetchSettled, sourcesOverview } from './sources.service.ts';
import * as repo from './sources.repo.ts';
import { Clock, quickClients, replayConfig, tick } from './testing.ts';

const cal = arxivCalendar();
// Thursday 19 June 2025 is a published holiday: no listing dated Friday the 20th.
const DAYS = expectedListingDays(cal, '2025-06-10', '2025-06-24');
const LATE_DAY = '2025-06-18';
const LATE_UNTIL = new Date('2025-06-18T03:00:00Z');

describeEachDatabase('an arXiv source on arXiv\'s calendar', (open) => {
  let db: Db;
  let replay: OaiReplay;
  let clock: Clock;
  let missing = new Set<string>();
  before(async () => {
    db = await open();
    clock = new Clock(new Date('2025-06-16T06:00:00Z'));
    replay = await startOaiReplay({
      records: newPapers(DAYS, 2),
      // Nothing is out before its announcement; the late day three hours after it; a missing day never.
      available: (day) => !missing.has(day) && clock.at >= (day === LATE_DAY ? LATE_UNTIL : announcementOf(day)),
    });
  });
  after(async () => {
    await replay?.close();
    await db?.close();
  });

  test('a week with a holiday: one run after each announcement, retries while a day is late, real listing days', async () => {
    assert.deepEqual(DAYS.slice(-6), ['2025-06-16', '2025-06-17', '2025-06-18', '2025-06-19', '2025-06-23', '2025-06-24']);
    const config = replayConfig(replay);
    const clients = quickClients(config);
    const { id } = await addSource(db, { kind: 'arxiv', target: 'hep-ex' }, 'admin', clock.at);
    let sawLate = false;
    for (; clock.at < new Date('2025-06-24T06:00:00Z'); clock.advance(30)) {
      await tick(db, config, clients, clock);
      const overview = await sourcesOverview(db, config, clock.at);
      if (overview.sources[0].health === 'late') {
        sawLate = true;
        assert.match(overview.sources[0].warning ?? '', /late: 2025-06-18 not delivered yet/);
      }
    }
    assert.ok(sawLate, 'the admin page said the source was late while 2025-06-18 was missing');
    const runs = (await repo.recentRuns(db.kysely, 100, id)).reverse();
    assert.deepEqual(
      runs.map((r) => [r.started_at.slice(0, 16), r.status, r.window_from, r.window_until]),
      [
        // The first run at start: the backfill (FETCH_BACKFILL_DAYS=2) up to Monday's listing.
        ['2025-06-16T06:00', 'success', '2025-06-13', '2025-06-16'],
        ['2025-06-17T00:30', 'success', '2025-06-17', '2025-06-17'],
        // 20:00 EDT on Tuesday; OAI-PMH has the day at 03:00 UTC: tries 30 min, 1 h and 2 h apart.
        ['2025-06-18T00:30', 'late', '2025-06-18', '2025-06-18'],
        ['2025-06-18T01:00', 'late', '2025-06-18', '2025-06-18'],
        ['2025-06-18T02:00', 'late', '2025-06-18', '2025-06-18'],
        ['2025-06-18T04:00', 'success', '2025-06-18', '2025-06-18'],
        ['2025-06-19T00:30', 'success', '2025-06-19', '2025-06-19'],
        // Thursday evening is the holiday, Friday and Saturday have none: the next run is after Sunday's.
        ['2025-06-23T00:30', 'success', '2025-06-20', '2025-06-23'],
        ['2025-06-24T00:30', 'success', '2025-06-24', '2025-06-24'],
      ],
    );
    assert.equal(replay.requests.filter((r) => r.url.pathname === '/oai2').length, runs.length, 'one page per run, nothing asked twice');
    const byDay = await db.kysely.selectFrom('papers').select(['announced_on', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('announced_on').orderBy('announced_on').execute();
    assert.deepEqual(
      byDay.map((r) => [r.announced_on, Number(r.n)]),
      ['2025-06-13', '2025-06-16', '2025-06-17', '2025-06-18', '2025-06-19', '2025-06-23', '2025-06-24'].map((d) => [d, 2]),
    );
    const source = (await repo.getSource(db.kysely, id))!;
    assert.deepEqual([source.completed_through, source.pending_days, source.resume_token], ['2025-06-24', '[]', null]);
    assert.equal((await dayFetchSettled(db, '2025-06-24', clock.at, 6)).settled, true);
  });

  test('a day that never comes is watched for a day, then reported as a warning, not a success', async () => {
    const config = replayConfig(replay);
    const clients = quickClients(config);
    // The same replay, a new category view: a source of its own that starts at Monday 30 June.
    const days = expectedListingDays(cal, '2025-06-30', '2025-07-02');
    replay.records.push(...newPapers(days, 1));
    missing = new Set(['2025-07-01']);
    clock.at = new Date('2025-06-30T06:00:00Z');
    await db.kysely.deleteFrom('sources').execute();
    const { id } = await addSource(db, { kind: 'arxiv', target: 'hep-ex', backfillFrom: '2025-06-30' }, 'cli', clock.at);
    for (; clock.at < new Date('2025-07-02T06:00:00Z'); clock.advance(30)) await tick(db, config, clients, clock);
    const runs = (await repo.recentRuns(db.kysely, 100, id)).reverse();
    const given = runs.findIndex((r) => r.status === 'warning');
    assert.equal(runs[0].status, 'success');
    assert.ok(given > 1 && runs.slice(1, given).every((r) => r.status === 'late'), 'late while 2025-07-01 was awaited');
    assert.ok(given <= 1 + 13, `retries back off (${given - 1} tries in a day)`);
    // Given up 24 hours after its announcement; the next day is fetched as usual.
    assert.equal(runs[given].started_at.slice(0, 16), '2025-07-02T00:00');
    assert.match(runs[given].message ?? '', /^no papers for 2025-07-01, although arXiv should have listed some/);
    assert.deepEqual(runs.slice(given + 1).map((r) => [r.status, r.window_from]), [['success', '2025-07-02']]);
    assert.equal((await repo.getSource(db.kysely, id))!.pending_days, '[]');
    // The warning stays visible in the runs; the source itself is fine again.
    const [status] = (await sourcesOverview(db, config, clock.at)).sources;
    assert.equal(status.health, 'ok');
    assert.ok((await dayFetchSettled(db, '2025-07-01', clock.at, 6)).settled, 'a given-up day no longer holds the digest');
  });
});
