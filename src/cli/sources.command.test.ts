/** `paperboy sources …` as an operator runs it: real processes on a store under DATA_DIR, against the OAI-PMH replay. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { newPapers, startOaiReplay, type OaiReplay } from '../fetch/oai-replay.ts';
import { arxivCalendar, lastListingDays } from '../sources/calendar.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-sources-cli-'));
// The last three listing days as of now: what a real `sources run` today asks for.
const DAYS = lastListingDays(arxivCalendar(), new Date(), 3);

describe('paperboy sources', () => {
  let replay: OaiReplay;
  // Run from the data directory, not the checkout: the CLI must not depend on the caller's working directory.
  const paperboy = async (args: string[]) => {
    try {
      const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', ARXIV_OAI_URL: replay.oaiUrl, ARXIV_API_URL: replay.apiUrl, ARXIV_REQUEST_INTERVAL_MS: '0', LOG_LEVEL: 'silent' };
      const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), 'sources', ...args], { env, cwd: dataDir });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  before(async () => {
    replay = await startOaiReplay({ records: newPapers(DAYS, 2) });
  });
  after(async () => {
    await replay?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('add, list, run, status, disable, enable, remove', async () => {
    const added = await paperboy(['add', 'arxiv', 'hep-ex', '--since', DAYS[0]]);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^Added #1: arXiv hep-ex\./);
    assert.match((await paperboy(['add', 'arxiv', 'hep-ex'])).stdout, /#1 arXiv hep-ex is followed already; nothing changed/);
    const bad = await paperboy(['add', 'arxiv', 'not a category']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /“not a category” is not an arXiv category or archive/);
    const feed = await paperboy(['add', 'feed', 'https://example.org/toc.rss', '--schedule', 'every 6h']);
    assert.match(feed.stdout, /^Added #2: feed example\.org\/toc\.rss\./, feed.stderr);

    const list = await paperboy(['list']);
    assert.match(list.stdout, /#1  arXiv hep-ex  \(listing\)  never/);
    assert.match(list.stdout, /#2  feed example\.org\/toc\.rss  \(every 6h\)  never/);

    const ran = await paperboy(['run', '1']);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /^#1 arXiv hep-ex: success — 6 added, 0 updated, 0 unchanged, 0 skipped$/m);

    const status = await paperboy(['status']);
    assert.match(status.stdout, /#1  arXiv hep-ex  \(listing\)  ok  last success \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.match(status.stdout, /Latest runs:\n {2}\d{4}-\d\d-\d\d \d\d:\d\d UTC {2}arXiv hep-ex {2}success {2}\d{4}-\d\d-\d\d…\d{4}-\d\d-\d\d {2}6 added, 0 updated, 0 unchanged, 0 skipped, 1 requests/);

    const off = await paperboy(['disable', '2']);
    assert.match(off.stdout, /#2 disabled/, `exit ${off.code}: ${off.stderr}`);
    assert.match((await paperboy(['list'])).stdout, /#2  feed example\.org\/toc\.rss  \(every 6h, off\)  disabled/);
    assert.match((await paperboy(['enable', '2'])).stdout, /#2 enabled/);
    assert.match((await paperboy(['remove', '2'])).stdout, /Removed #2/);
    const gone = await paperboy(['remove', '2']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /No source #2/);
    const json = JSON.parse((await paperboy(['list', '--json'])).stdout) as { id: number; health: string }[];
    assert.deepEqual(json.map((s) => [s.id, s.health]), [[1, 'ok']]);
  });
});
