/**
 * Several instances, one schedule: two processes' worth of connections and runners on one store (each its
 * own connection pool and HTTP clients) tick at the same moments; each due run happens once, the replay
 * sees each page once, and neither ever asks the host while the other does.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { openDb, type Db } from '../db/database.ts';
import { newPapers, startOaiReplay, type OaiReplay } from '../fetch/oai-replay.ts';
import { announcementOf, arxivCalendar, expectedListingDays } from './calendar.ts';
import { addSource } from './sources.service.ts';
import * as repo from './sources.repo.ts';
import { Clock, quickClients, replayConfig, tick } from './testing.ts';

const DAYS = expectedListingDays(arxivCalendar(), '2025-11-03', '2025-11-14');

describeEachDatabase('two instances racing for one run', (open) => {
  let db: Db;
  let other: Db;
  let replay: OaiReplay;
  const clock = new Clock(new Date('2025-11-10T12:00:00Z'));
  let inFlight = 0;
  let overlapped = false;
  before(async () => {
    db = await open();
    other = openDb(db.target);
    replay = await startOaiReplay({
      records: newPapers(DAYS, 3),
      pageSize: 2,
      available: (day) => clock.at >= announcementOf(day),
      // Slow answers widen the window in which a second instance could slip in.
      intercept: () => {
        inFlight++;
        overlapped ||= inFlight > 1;
        setTimeout(() => inFlight--, 40);
        return undefined;
      },
    });
  });
  after(async () => {
    await replay?.close();
    await other?.close();
    await db?.close();
  });

  test('each run happens once, each page is asked for once, one instance at a time', async () => {
    // 50 ms between one instance's requests; the 40 ms window above then only catches two instances at once.
    const config = replayConfig(replay, { ARXIV_REQUEST_INTERVAL_MS: '50' });
    const [mine, theirs] = [quickClients(config), quickClients(config)];
    const { id } = await addSource(db, { kind: 'arxiv', target: 'hep-ex' }, 'env', clock.at);
    // A week of ticks, both instances at every one (the second also starting a hair later, then earlier).
    for (let i = 0; clock.at < new Date('2025-11-15T06:00:00Z'); i++, clock.advance(20)) {
      const both = i % 2 ? [tick(db, config, mine, clock), tick(other, config, theirs, clock)] : [tick(other, config, theirs, clock), tick(db, config, mine, clock)];
      const [a, b] = await Promise.all(both);
      assert.ok(a.length + b.length <= 1, `two runs at ${clock.at.toISOString()}`);
    }
    const runs = (await repo.recentRuns(db.kysely, 100, id)).reverse();
    assert.deepEqual(
      runs.map((r) => [r.status, r.window_from, r.window_until]),
      [
        ['success', '2025-11-07', '2025-11-10'],
        ['success', '2025-11-11', '2025-11-11'],
        ['success', '2025-11-12', '2025-11-12'],
        ['success', '2025-11-13', '2025-11-13'],
        ['success', '2025-11-14', '2025-11-14'],
      ],
    );
    const asked = replay.requests.map((r) => r.url.search);
    assert.equal(new Set(asked).size, asked.length, 'no request was made twice');
    assert.ok(!overlapped, 'the two instances never asked the host at the same time');
    const papers = await db.kysely.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(papers.n), 3 * 6, 'three papers for each of the six days, once each');
  });
});
