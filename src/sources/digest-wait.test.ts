/**
 * The digest waits for the day: a listing day's digests are prepared only once that day's fetch of every
 * enabled arXiv source has completed — not while its first page is in and the rest is missing — or once
 * DIGEST_FETCH_DEADLINE hours have passed since the announcement.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { addSubscribers } from '../../test/mail-fixtures.ts';
import type { Db } from '../db/database.ts';
import { prepareDigests } from '../digest/prepare.ts';
import { newPapers, startOaiReplay, type OaiReplay } from '../fetch/oai-replay.ts';
import { addSource, dayFetchSettled } from './sources.service.ts';
import { Clock, quickClients, replayConfig, tick } from './testing.ts';

const DAYS = ['2025-09-16', '2025-09-17', '2025-09-18'];

describeEachDatabase('the digest waits for the day', (open) => {
  let db: Db;
  let replay: OaiReplay;
  // While set, every page after the first fails, and so does the API: the day stays half fetched.
  let stuck = false;
  before(async () => {
    db = await open();
    replay = await startOaiReplay({
      records: newPapers(DAYS, 4),
      pageSize: 2,
      available: (day) => day <= clock.at.toISOString().slice(0, 10),
      intercept: (url) => (stuck && (url.searchParams.has('resumptionToken') || url.pathname === '/api/query') ? { status: 500, body: 'Internal Server Error' } : undefined),
    });
    await addSubscribers(db, 3);
  });
  after(async () => {
    await replay?.close();
    await db?.close();
  });
  const clock = new Clock(new Date('2025-09-16T08:00:00Z'));
  const papersOn = async (day: string) => Number((await db.kysely.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).where('announced_on', '=', day).executeTakeFirstOrThrow()).n);

  test('half a day is not prepared; the completed day is', async () => {
    const config = replayConfig(replay);
    const clients = quickClients(config);
    await addSource(db, { kind: 'arxiv', target: 'hep-ex', backfillFrom: DAYS[0] }, 'env', clock.at);
    await tick(db, config, clients, clock);

    stuck = true;
    clock.at = new Date('2025-09-17T00:30:00Z');
    const [failed] = await tick(db, config, clients, clock);
    assert.equal(failed.status, 'failed');
    assert.equal(await papersOn(DAYS[1]), 2, 'the first page of the day is in, the second is not');
    const early = await prepareDigests(db, config.digest, DAYS[1], { now: clock.advance(15).at });
    assert.deepEqual([early.skipped, early.messages], ['waiting for fetch', 0]);
    assert.deepEqual((await dayFetchSettled(db, DAYS[1], clock.at, 6)).waitingFor, ['arXiv hep-ex']);

    stuck = false;
    const [done] = await tick(db, config, clients, clock);
    assert.equal(done.status, 'success', done.message);
    assert.equal(await papersOn(DAYS[1]), 4);
    const prepared = await prepareDigests(db, config.digest, DAYS[1], { now: clock.advance(5).at });
    assert.deepEqual([prepared.skipped, prepared.messages], [undefined, 3]);
  });

  test('a fetch that does not complete holds the digest until the deadline, then no longer', async () => {
    const config = replayConfig(replay, { DIGEST_FETCH_DEADLINE: '6' });
    const clients = quickClients(config);
    stuck = true;
    // Thursday's listing is announced at 00:00 UTC (20:00 EDT); the deadline is 06:00 UTC.
    clock.at = new Date('2025-09-18T00:30:00Z');
    await tick(db, config, clients, clock);
    assert.equal(await papersOn(DAYS[2]), 2);
    assert.equal((await prepareDigests(db, config.digest, DAYS[2], { now: new Date('2025-09-18T05:59:00Z') })).skipped, 'waiting for fetch');
    const late = await prepareDigests(db, config.digest, DAYS[2], { now: new Date('2025-09-18T06:00:00Z') });
    assert.deepEqual([late.skipped, late.messages], [undefined, 3]);
  });
});
