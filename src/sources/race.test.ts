/**
 * Several instances, one schedule: two processes' worth of connections and runners on one store (each its
 * own connection pool and HTTP clients) tick at the same moments; each due run happens once, the replay
 * sees each page once, and neither ever asks the host while the other does. Then the same with two real
 * processes (test/sources-child.ts) let go at the same moment.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { openDb, type Db } from '../db/database.ts';
import { newPapers, startOaiReplay, type OaiReplay } from '../fetch/oai-replay.ts';
import { announcementOf, arxivCalendar, expectedListingDays } from './calendar.ts';
import { addSource } from './sources.service.ts';
import * as repo from './sources.repo.ts';
import { Clock, quickClients, replayConfig, tick } from './testing.ts';

const DAYS = expectedListingDays(arxivCalendar(), '2025-11-03', '2025-11-14');
const ROOT = path.resolve(import.meta.dirname, '../..');

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
    // 200 ms between one instance's requests; the 40 ms window above then only catches two instances at once,
    // even on a loaded machine where the window's timer fires late.
    const config = replayConfig(replay, { ARXIV_REQUEST_INTERVAL_MS: '200' });
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

describeEachDatabase('two processes racing for one run', (open) => {
  let db: Db;
  let replay: OaiReplay;
  before(async () => {
    db = await open();
    replay = await startOaiReplay({ records: newPapers(DAYS.slice(0, 5), 3), pageSize: 2 });
  });
  after(async () => {
    await replay?.close();
    await db?.close();
  });

  test('started at the same moment, one process harvests and the other leaves it alone', { timeout: 120_000 }, async () => {
    const now = '2025-11-07T06:00:00Z';
    const { id } = await addSource(db, { kind: 'arxiv', target: 'hep-ex', backfillFrom: DAYS[0] }, 'env', new Date(now));
    // 200 ms between requests: the harvest of eight pages lasts over a second, a wide window for the other to slip in.
    const env = { ...process.env, ARXIV_OAI_URL: replay.oaiUrl, ARXIV_API_URL: replay.apiUrl, ARXIV_REQUEST_INTERVAL_MS: '200', PAPERBOY_TEST_TARGET: JSON.stringify(db.target), PAPERBOY_TEST_NOW: now, PAPERBOY_TEST_WAIT_GO: '1' };
    const children = [0, 1].map(() => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/sources-child.ts'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
      const out = { text: '' };
      child.stdout.on('data', (d) => (out.text += d));
      child.stderr.on('data', (d) => (out.text += d));
      const c = { child, out, exitedAt: 0, exited: new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))) };
      void c.exited.then(() => (c.exitedAt = performance.now()));
      return c;
    });
    for (let waited = 0; !children.every((c) => /started/.test(c.out.text)); waited += 20) {
      if (waited > 60_000) assert.fail(`the children did not start:\n${children.map((c) => c.out.text).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const c of children) c.child.stdin.end('go\n');
    assert.deepEqual(await Promise.all(children.map((c) => c.exited)), [0, 0], children.map((c) => c.out.text).join('\n'));
    const reports = children.map((c) => JSON.parse(/finished: (.*)/.exec(c.out.text)![1]) as { status: string; added: number }[]);
    assert.deepEqual(reports.map((r) => r.length).sort(), [0, 1], 'one of them ran the source, the other found its host taken');
    assert.deepEqual(reports.flat().map((r) => [r.status, r.added]), [['success', 15]]);
    const [winner, loser] = reports[0].length ? children : [...children].reverse();
    assert.ok(loser.exitedAt < winner.exitedAt, 'the other was done while the harvest went on: it found the host leased, not the work done');
    const runs = await repo.recentRuns(db.kysely, 10, id);
    assert.equal(runs.length, 1, 'one run stored');
    const asked = replay.requests.map((r) => r.url.search);
    assert.deepEqual([asked.length, new Set(asked).size], [8, 8], 'eight pages, each asked for once');
  });
});
