/** /admin/sources over real HTTP: admin only, forms with CSRF, the runs with their counts and a failing source's warning. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/databases.ts';
import { mailTestConfig } from '../../../test/mail-fixtures.ts';
import { cookiePair, csrfFieldIn, rawRequest } from '../../../test/raw-http.ts';
import type { Db } from '../../db/database.ts';
import { newPapers, startOaiReplay, type OaiReplay } from '../../fetch/oai-replay.ts';
import { arxivCalendar, lastListingDays } from '../../sources/calendar.ts';
import { replayConfig } from '../../sources/testing.ts';
import * as repo from '../../sources/sources.repo.ts';
import { type RunningServer, startServer } from '../server.ts';

const TOKEN = 'admin-token-0123456789';
const bearer = { Authorization: `Bearer ${TOKEN}` };
const DAYS = lastListingDays(arxivCalendar(), new Date(), 2);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachDatabase('/admin/sources', (open) => {
  let db: Db;
  let dir: string;
  let server: RunningServer;
  let replay: OaiReplay;

  before(async () => {
    db = await open();
    dir = mkdtempSync(path.join(tmpdir(), 'paperboy-admin-sources-'));
    replay = await startOaiReplay({ records: newPapers(DAYS, 3) });
    const base = mailTestConfig({ dataDir: dir });
    server = await startServer({ ...base, sources: replayConfig(replay).sources, host: '127.0.0.1', port: 0, adminToken: TOKEN }, db);
  });
  after(async () => {
    await server?.close();
    await replay?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The page, and a way to post its forms with its CSRF token and cookie. */
  const page = async () => {
    const res = await rawRequest(`${server.url}/admin/sources`, { headers: bearer });
    const cookie = cookiePair(res.cookies, 'paperboy_csrf')!;
    const post = (action: string, form: Record<string, string> = {}) =>
      rawRequest(`${server.url}${action}`, { method: 'POST', headers: { ...bearer, Cookie: cookie }, form: { _csrf: csrfFieldIn(res.body)!, ...form } });
    const text = res.body.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, ' ');
    return { res, post, text };
  };
  const notice = (location: string | undefined) => decodeURIComponent(/notice=([^&]*)/.exec(location ?? '')?.[1] ?? '');

  test('is for the admin only, and its forms need the CSRF token', async () => {
    assert.equal((await rawRequest(`${server.url}/admin/sources`)).status, 401);
    const { res } = await page();
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'private, no-store');
    const forged = await rawRequest(`${server.url}/admin/sources`, { method: 'POST', headers: bearer, form: { kind: 'arxiv', target: 'cs.LG' } });
    assert.equal(forged.status, 403);
    assert.deepEqual(await repo.listSources(db.kysely), [], 'nothing was added');
  });

  test('adds, runs, switches off and on and removes sources; the runs show with their counts', async () => {
    const { post } = await page();
    const bad = await post('/admin/sources', { kind: 'arxiv', target: 'cs.ZZ.9' });
    assert.equal(bad.status, 303);
    assert.match(notice(bad.headers.location), /“cs\.ZZ\.9” is not an arXiv category or archive/);
    const added = await post('/admin/sources', { kind: 'arxiv', target: 'hep-ex', schedule: '', since: DAYS[0] });
    assert.equal(notice(added.headers.location), 'Added arXiv hep-ex; it runs within a minute.');
    const [source] = await repo.listSources(db.kysely);
    assert.deepEqual([source.kind, source.target, source.schedule, source.backfill_from, source.origin], ['arxiv', 'hep-ex', 'listing', DAYS[0], 'admin']);

    const run = await post(`/admin/sources/${source.id}/run`);
    assert.equal(notice(run.headers.location), `Running source #${source.id}; reload to see the run.`);
    for (let waited = 0; (await repo.recentRuns(db.kysely, 1))[0]?.status !== 'success'; waited += 50) {
      if (waited > 20_000) assert.fail('the run never finished');
      await sleep(50);
    }
    const after = await page();
    assert.match(after.text, /arXiv hep-ex listing ok/);
    assert.match(after.text, /Latest runs .* arXiv hep-ex \d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d success 6 added · 0 updated 0 unchanged · 0 skipped via oai, 1 request/);

    assert.match(notice((await after.post(`/admin/sources/${source.id}/disable`)).headers.location), /switched off/);
    assert.match((await page()).text, /arXiv hep-ex listing off/);
    await after.post(`/admin/sources/${source.id}/enable`);

    // A source that fails says so, with the error, on the page (the run as the runner records it).
    const failed = await repo.startRun(db.kysely, { source_id: source.id, window_from: DAYS[1], window_until: DAYS[1], via: null, lease_token: 'gone' }, new Date());
    await repo.writeRun(db.kysely, failed, { requests: 3, added: 0, updated: 0, unchanged: 0, skipped: 1, skips: [{ location: 'https://export.arxiv.org/oai2?verb=ListRecords:record 7 (line 80)', reason: 'publishedAt: "not-a-date" is not an ISO 8601 timestamp' }] }, { status: 'failed', message: 'OAI-PMH: GET https://export.arxiv.org/oai2 failed after 5 attempts: HTTP 503', now: new Date() });
    const failing = await page();
    assert.match(failing.text, /failing failing \(no success since \d{4}-\d\d-\d\d \d\d:\d\d UTC\): OAI-PMH: GET https:\/\/export\.arxiv\.org\/oai2 failed after 5 attempts: HTTP 503/);
    assert.match(failing.text, /Skipped records https:\/\/export\.arxiv\.org\/oai2\?verb=ListRecords:record 7 \(line 80\): publishedAt: "not-a-date"/);

    assert.match(notice((await after.post(`/admin/sources/${source.id}/remove`)).headers.location), /removed \(its papers stay\)/);
    assert.deepEqual(await repo.listSources(db.kysely), []);
    const papers = await db.kysely.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(papers.n), 6);
    assert.match(notice((await after.post('/admin/sources/999/remove')).headers.location), /There is no source #999/);
  });
});
