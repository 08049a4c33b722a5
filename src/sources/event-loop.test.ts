/**
 * No request waits on a harvest: while `paperboy serve` harvests full OAI-PMH pages (1,000 records, 2 MB of
 * XML each) the event loop is never held for more than 50 ms — pages are parsed in a worker thread and
 * written in short transactions. Measured as the longest gap of a 2 ms timer during the harvest (counting
 * only the CPU time the main thread had in it), with the replay in a process of its own; on a machine so loaded that an idle timer already stalls, the measurement
 * means nothing and the test says so instead of guessing.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { longestStall } from '../../test/loop-monitor.ts';
import type { Db } from '../db/database.ts';
import { WorkerPageParser } from '../fetch/page-parser.ts';
import { arxivCalendar, expectedListingDays } from './calendar.ts';
import { runDueSources } from './runner.ts';
import { addSource } from './sources.service.ts';
import { Clock, quickClients, replayConfig } from './testing.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DAYS = expectedListingDays(arxivCalendar(), '2025-09-15', '2025-09-19');
const LIMIT_MS = 50;

/** The replay, started in a child process; resolves with its base URL. */
function replayProcess(): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/replay-child.ts'], {
    cwd: ROOT,
    env: { ...process.env, REPLAY_DAYS: DAYS.join(','), REPLAY_PER_DAY: '400', REPLAY_PAGE_SIZE: '1000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d) => resolve({ child, baseUrl: String(d).trim() }));
    child.once('exit', (code) => reject(new Error(`the replay exited (${code})`)));
  });
}

describeEachDatabase('a harvest inside the server', (open) => {
  let db: Db;
  let replay: { child: ChildProcess; baseUrl: string };
  const parser = new WorkerPageParser();
  before(async () => {
    db = await open();
    replay = await replayProcess();
  });
  after(async () => {
    replay?.child.kill();
    await parser.close();
    await db?.close();
  });

  test(`never holds the event loop for ${LIMIT_MS} ms or more`, async (t) => {
    const clock = new Clock(new Date('2025-09-19T12:00:00Z'));
    const config = replayConfig({ baseUrl: replay.baseUrl, oaiUrl: `${replay.baseUrl}/oai2`, apiUrl: `${replay.baseUrl}/api/query` });
    await addSource(db, { kind: 'arxiv', target: 'hep-ex', backfillFrom: DAYS[0] }, 'env', clock.at);
    // The worker's start (loading the parser) is not part of a harvest; warm it up once.
    await parser.parse('feed', '<rss><channel></channel></rss>', 'warm-up');
    const { result, stallMs, gapMs } = await longestStall(() => runDueSources({ db, config, clients: quickClients(config), parse: parser.parse, now: clock.now }));
    assert.deepEqual([result[0].status, result[0].added], ['success', 2000]);
    if (stallMs >= LIMIT_MS) {
      // Was it us, or the machine? The same timer with nothing else to do, for as long.
      const idle = await longestStall(() => new Promise((resolve) => setTimeout(resolve, 3000)));
      if (idle.gapMs >= LIMIT_MS / 2) return t.skip(`the machine is too loaded to time the event loop: an idle 2 ms timer stalled ${idle.gapMs.toFixed(0)} ms (the harvest: ${stallMs.toFixed(0)} ms of CPU time)`);
    }
    assert.ok(stallMs < LIMIT_MS, `the event loop was held for ${stallMs.toFixed(1)} ms of CPU time (longest gap ${gapMs.toFixed(1)} ms)`);
  });
});
