/** `paperboy subscribers` and `paperboy digest` as an operator runs them: real processes on a store under DATA_DIR. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-digest-cli-'));

async function paperboy(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', SMTP_URL: '', DEMO_CORPUS: 'off', PUBLIC_BASE_URL: 'https://papers.example.org' },
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('paperboy subscribers and digest', () => {
  before(async () => {
    const r = await paperboy(['import', path.join(ROOT, 'test/fixtures/jsonl/arxiv_cs_daily_sample.jsonl.gz')]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('add without --confirmed sends a confirmation mail (to the outbox folder); with it, the subscriber is active', async () => {
    const pending = await paperboy(['subscribers', 'add', 'Pending@Example.org']);
    assert.equal(pending.code, 0, pending.stderr);
    assert.match(pending.stdout, /pending@example\.org: pending/);
    assert.match(pending.stdout, /confirmation mail: sent via \.eml files/);
    assert.match(pending.stdout, /Generated a secret key/);
    const files = fs.readdirSync(path.join(dataDir, 'outbox'));
    assert.equal(files.length, 1);
    assert.match(fs.readFileSync(path.join(dataDir, 'outbox', files[0]), 'utf8'), /Subject: Confirm your Paperboy subscription/);
    const active = await paperboy(['subscribers', 'add', 'ada@example.org', '--confirmed', '--alert', 'vision language', '--alert', 'gaussian splatting', '--tz', 'Europe/Berlin']);
    assert.match(active.stdout, /ada@example\.org: active \(id 2, Europe\/Berlin, 2 alert\(s\) added\)/);
    const list = JSON.parse((await paperboy(['subscribers', 'list', '--json'])).stdout);
    assert.deepEqual(list.map((s: { email: string; status: string; alerts: number }) => [s.email, s.status, s.alerts]), [['pending@example.org', 'pending', 0], ['ada@example.org', 'active', 2]]);
  });

  test('bad input is refused with a clear message', async () => {
    const bad = await paperboy(['subscribers', 'add', 'not-an-address']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /does not look like an email address/);
    const zone = await paperboy(['subscribers', 'add', 'x@example.org', '--tz', 'Mars/Olympus']);
    assert.match(zone.stderr, /is not a time zone/);
    assert.match((await paperboy(['digest', 'run', '--date', '2025-02-30'])).stderr, /must be a day as YYYY-MM-DD/);
  });

  test('preview shows the digest without sending it; run --now sends it once', async () => {
    const preview = await paperboy(['digest', 'preview', 'ada@example.org', '--date', '2025-03-18']);
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(preview.stdout, /Subject: Paperboy: \d+ new for your alerts, 10 trending papers · Tuesday, March 18, 2025/);
    assert.match(preview.stdout, /ALERT: “gaussian splatting”\n\n\* [^\n]*Gaussian Splatting/);
    assert.match(preview.stdout, /Unsubscribe: https:\/\/papers\.example\.org\/unsubscribe\//);
    assert.equal(fs.readdirSync(path.join(dataDir, 'outbox')).length, 1, 'nothing sent');
    const first = await paperboy(['digest', 'run', '--date', '2025-03-18', '--now']);
    assert.match(first.stdout, /2025-03-18: prepared 1 digests for 1 subscribers/);
    assert.match(first.stdout, /1 sent, 0 to retry, 0 failed/);
    const again = await paperboy(['digest', 'run', '--date', '2025-03-18', '--now']);
    assert.match(again.stdout, /prepared 0 digests for 0 subscribers/);
    assert.match(again.stdout, / 0 sent/);
    assert.equal(fs.readdirSync(path.join(dataDir, 'outbox')).length, 2);
    assert.match((await paperboy(['digest', 'run'])).stdout, /No recent listing day to prepare/);
  });
});
