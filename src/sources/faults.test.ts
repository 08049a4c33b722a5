/**
 * A source that misbehaves, replayed: a 503 with a long Retry-After is honoured (no request until then, and
 * not through the API on the same host either); a short one is ridden out; a malformed page (a real page cut
 * off) is reported and never imported half, the search API filling in; when both fail the run fails, naming
 * both, and the next one asks for the same page again.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import type { ScriptedReply } from '../fetch/test-server.ts';
import { newPapers, startOaiReplay, type OaiReplay } from '../fetch/oai-replay.ts';
import { addSource } from './sources.service.ts';
import * as repo from './sources.repo.ts';
import { Clock, quickClients, replayConfig, tick } from './testing.ts';

const DAYS = ['2025-09-22', '2025-09-23', '2025-09-24'];
// A real page cut off in the middle of a record, as a dropped download leaves it.
const CUT_PAGE = readFileSync('test/fixtures/arxiv_oai_pmh/2017-12_ListRecords_arXiv_set-physics-hep-th.xml', 'utf8').slice(0, 2500);

describeEachDatabase('a source that misbehaves', (open) => {
  let db: Db;
  let replay: OaiReplay;
  let script: (url: URL, index: number) => ScriptedReply | undefined = () => undefined;
  before(async () => {
    db = await open();
    replay = await startOaiReplay({ records: newPapers(DAYS, 2), pageSize: 2, intercept: (url, i) => script(url, i) });
  });
  afterEach(async () => {
    script = () => undefined;
    replay.requests.length = 0;
    await db.kysely.deleteFrom('sources').execute();
    await db.kysely.deleteFrom('papers').execute();
  });
  after(async () => {
    await replay?.close();
    await db?.close();
  });
  const start = async (clock: Clock) => {
    const config = replayConfig(replay);
    const { id } = await addSource(db, { kind: 'arxiv', target: 'hep-ex', backfillFrom: DAYS[0] }, 'admin', clock.at);
    return { config, clients: quickClients(config), id };
  };
  const oaiSources = async () => (await db.kysely.selectFrom('papers').select('sources').orderBy('arxiv_id').execute()).map((p) => Object.keys(JSON.parse(p.sources)).join('+'));

  test('a 503 with a long Retry-After: no request until then, and not through the API on the same host', async () => {
    const clock = new Clock(new Date('2025-09-24T12:00:00Z'));
    const { config, clients, id } = await start(clock);
    script = (_url, i) => (i === 0 ? { status: 503, headers: { 'Retry-After': '3600' }, body: 'Retry after 3600 seconds' } : undefined);
    const [first] = await tick(db, config, clients, clock);
    assert.equal(first.status, 'failed');
    assert.match(first.message ?? '', /asks to come back in 3600 s/);
    assert.equal(replay.requests.length, 1);
    assert.equal((await repo.getSource(db.kysely, id))!.next_attempt_at, new Date(clock.at.getTime() + 3_600_000).toISOString());
    clock.advance(59);
    assert.deepEqual(await tick(db, config, clients, clock), []);
    assert.equal(replay.requests.length, 1, 'nothing asked before the hour was up');
    clock.advance(2);
    const [second] = await tick(db, config, clients, clock);
    assert.equal(second.status, 'success');
    assert.equal(second.added, 6);
  });

  test('a short Retry-After on a later page is ridden out within the run', async () => {
    const clock = new Clock(new Date('2025-09-24T12:00:00Z'));
    const { config, clients } = await start(clock);
    script = (_url, i) => (i === 1 ? { status: 503, headers: { 'Retry-After': '0' } } : undefined);
    const [run] = await tick(db, config, clients, clock);
    assert.deepEqual([run.status, run.added], ['success', 6]);
    assert.equal(replay.requests.length, 4, 'three pages, one of them asked twice');
  });

  test('a malformed page is reported and never imported half; the API fills in', async () => {
    const clock = new Clock(new Date('2025-09-24T12:00:00Z'));
    const { config, clients, id } = await start(clock);
    script = (url) => (url.searchParams.get('resumptionToken')?.endsWith('|2') ? { status: 200, body: CUT_PAGE } : undefined);
    const [run] = await tick(db, config, clients, clock);
    assert.equal(run.status, 'warning');
    assert.match(run.message ?? '', /^OAI-PMH failed \(.*truncated XML: the file ends at line \d+ inside <.+>.*\); fetched through the arXiv API instead$/);
    // Page 1 came through OAI-PMH; nothing of the cut page did: its papers (and the rest) came through the API.
    assert.deepEqual(await oaiSources(), ['arxiv-oai+arxiv-atom', 'arxiv-oai+arxiv-atom', 'arxiv-atom', 'arxiv-atom', 'arxiv-atom', 'arxiv-atom']);
    const [stored] = await repo.recentRuns(db.kysely, 1, id);
    assert.equal(stored.via, 'api');
    assert.equal((await repo.getSource(db.kysely, id))!.resume_token, null);
  });

  test('when the API fails too, the run fails naming both, and the next run asks for the same page', async () => {
    const clock = new Clock(new Date('2025-09-24T12:00:00Z'));
    const { config, clients, id } = await start(clock);
    let broken = true;
    script = (url) => (!broken ? undefined : url.pathname === '/api/query' ? { status: 500, body: 'Internal Server Error' } : url.searchParams.get('resumptionToken')?.endsWith('|2') ? { status: 200, body: CUT_PAGE } : undefined);
    const [run] = await tick(db, config, clients, clock);
    assert.equal(run.status, 'failed');
    assert.match(run.message ?? '', /^OAI-PMH: .*truncated XML.*; the API: GET .*\/api\/query\?.* failed after 3 attempts: HTTP 500/);
    assert.equal((await oaiSources()).length, 2, 'only page 1');
    const source = (await repo.getSource(db.kysely, id))!;
    assert.match(source.resume_token ?? '', /\|2$/);
    broken = false;
    clock.advance(6);
    const [retried] = await tick(db, config, clients, clock);
    assert.deepEqual([retried.status, retried.added], ['success', 4]);
    const asked = replay.requests.at(-2)!.url.searchParams.get('resumptionToken');
    assert.equal(asked, source.resume_token, 'the page that was cut off is asked for again');
  });
});
