/**
 * A harvest killed mid-run (kill -9, a real child process) and the resume: nothing is half-written, the
 * killed run is marked interrupted, and the next run goes on from the last committed page's resumption
 * token — not from the start — and settles the days the killed run had fetched.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { newPapers, startOaiReplay, type OaiReplay } from '../fetch/oai-replay.ts';
import { arxivCalendar, expectedListingDays } from './calendar.ts';
import { addSource } from './sources.service.ts';
import * as repo from './sources.repo.ts';
import { Clock, quickClients, replayConfig, tick } from './testing.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DAYS = expectedListingDays(arxivCalendar(), '2025-10-07', '2025-10-10');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachDatabase('a harvest killed mid-run, and the resume', (open) => {
  let db: Db;
  let replay: OaiReplay;
  let hangOnThirdPage = true;
  before(async () => {
    db = await open();
    // Two records a page, two a day: four pages; the third hangs while the child waits for it.
    replay = await startOaiReplay({ records: newPapers(DAYS, 2), pageSize: 2, intercept: (_url, i) => (i === 2 && hangOnThirdPage ? 'hang' : undefined) });
  });
  after(async () => {
    await replay?.close();
    await db?.close();
  });

  test('kill -9 while waiting for page 3: the next run asks for page 3 and completes the harvest once', async () => {
    const clock = new Clock(new Date('2025-10-10T06:00:00Z'));
    const config = replayConfig(replay);
    const { id } = await addSource(db, { kind: 'arxiv', target: 'hep-ex', backfillFrom: DAYS[0] }, 'env', clock.at);
    const env = { ...process.env, ARXIV_OAI_URL: replay.oaiUrl, ARXIV_API_URL: replay.apiUrl, ARXIV_REQUEST_INTERVAL_MS: '0', DATA_DIR: config.dataDir, PAPERBOY_TEST_TARGET: JSON.stringify(db.target), PAPERBOY_TEST_NOW: clock.at.toISOString() };
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/sources-child.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<string | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    for (let waited = 0; replay.requests.length < 3; waited += 20) {
      if (waited > 30_000) assert.fail(`the child never asked for page 3:\n${output}`);
      await sleep(20);
    }
    // Page 2 is committed: the source holds the token of page 3, the run its counts so far.
    const before = (await repo.getSource(db.kysely, id))!;
    assert.equal(before.resume_token, replay.tokens[1]);
    assert.equal(before.resume_from, DAYS[0]);
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL', output);
    assert.doesNotMatch(output, /finished/);

    // Another process, after the dead one's lease ran out.
    hangOnThirdPage = false;
    clock.advance(10);
    const [report] = await tick(db, config, quickClients(config), clock);
    assert.equal(report.status, 'success', report.message);
    const resumed = replay.requests[3].url.searchParams;
    assert.deepEqual(Object.fromEntries(resumed), { verb: 'ListRecords', resumptionToken: replay.tokens[1] }, 'it went on from page 3, not from the first day');
    assert.equal(replay.requests.length, 5, 'pages 1 and 2 (killed run), 3 (the hung request), 3 and 4');

    const runs = (await repo.recentRuns(db.kysely, 10, id)).reverse();
    assert.deepEqual(
      runs.map((r) => [r.status, r.added, r.requests]),
      [
        ['interrupted', 4, 2],
        ['success', 4, 2],
      ],
    );
    assert.match(runs[0].message ?? '', /stopped before it finished/);
    // Every paper once, and whole: its authors and categories were written with it.
    const papers = await db.kysely
      .selectFrom('papers')
      .select(['arxiv_id', 'announced_on'])
      .select((eb) => [
        eb.selectFrom('paper_authors').select((e) => e.fn.countAll<number>().as('n')).whereRef('paper_authors.paper_id', '=', 'papers.id').as('authors'),
        eb.selectFrom('paper_categories').select((e) => e.fn.countAll<number>().as('n')).whereRef('paper_categories.paper_id', '=', 'papers.id').as('categories'),
      ])
      .orderBy('arxiv_id')
      .execute();
    assert.equal(papers.length, 8);
    assert.equal(new Set(papers.map((p) => p.arxiv_id)).size, 8);
    assert.ok(papers.every((p) => Number(p.authors) > 0 && Number(p.categories) > 0), JSON.stringify(papers));
    assert.deepEqual([...new Set(papers.map((p) => p.announced_on))], DAYS);
    const after = (await repo.getSource(db.kysely, id))!;
    assert.deepEqual([after.completed_through, after.pending_days, after.resume_token], [DAYS[3], '[]', null]);
  });
});
