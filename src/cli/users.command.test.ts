/** `paperboy users` and `paperboy tokens` as an operator runs them: real processes on a store under DATA_DIR. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/database.ts';
import { createApp } from '../http/app.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-users-cli-'));

async function paperboy(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', DEMO_CORPUS: 'off', PUBLIC_BASE_URL: 'https://papers.example.org' },
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('paperboy users and tokens', () => {
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('the first admin, a member, roles and suspension, with the last admin kept', async () => {
    const admin = await paperboy(['users', 'add', 'Root@Example.org', '--admin']);
    assert.equal(admin.code, 0, admin.stderr);
    assert.match(admin.stdout, /root@example\.org: added \(admin\)\. Sign in at https:\/\/papers\.example\.org\/signin/);
    assert.equal((await paperboy(['users', 'add', 'ada@example.org'])).code, 0);
    const bad = await paperboy(['users', 'add', 'not an address']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /does not look like an email address/);
    const lastAdmin = await paperboy(['users', 'role', 'root@example.org', 'member']);
    assert.equal(lastAdmin.code, 1);
    assert.match(lastAdmin.stderr, /last active admin/);
    assert.equal((await paperboy(['users', 'suspend', 'ada@example.org'])).code, 0);
    const list = JSON.parse((await paperboy(['users', 'list', '--json'])).stdout) as { email: string; role: string; status: string }[];
    assert.deepEqual(list.map((u) => [u.email, u.role, u.status]), [['root@example.org', 'admin', 'active'], ['ada@example.org', 'member', 'suspended']]);
    assert.equal((await paperboy(['users', 'suspend', 'nobody@example.org'])).code, 1);
  });

  test('tokens create prints the token alone on stdout, once; it works as Bearer; revoke ends it', async () => {
    const made = await paperboy(['tokens', 'create', 'root@example.org', '--name', 'ci']);
    assert.equal(made.code, 0, made.stderr);
    const token = made.stdout.trim();
    assert.match(token, /^pb_[A-Za-z0-9_-]{43}$/);
    assert.match(made.stderr, /not shown again/);
    const listed = await paperboy(['tokens', 'list', 'root@example.org']);
    assert.match(listed.stdout, new RegExp(`${token.slice(0, 10)}…  ci`));
    assert.doesNotMatch(listed.stdout, new RegExp(token));
    const db = openDb({ sqliteFile: path.join(dataDir, 'paperboy.sqlite') });
    try {
      const app = createApp({ db, config: { ...loadConfig({ DATA_DIR: dataDir }), logLevel: 'silent' } });
      const me = await app.request('/api/me', { headers: { Authorization: `Bearer ${token}` } });
      assert.equal((await me.json()).email, 'root@example.org');
      const id = /^\s*(\d+)/.exec(listed.stdout)![1];
      assert.equal((await paperboy(['tokens', 'revoke', 'ada@example.org', id])).code, 1, "another account's token id");
      assert.equal((await app.request('/api/me', { headers: { Authorization: `Bearer ${token}` } })).status, 200);
      assert.equal((await paperboy(['tokens', 'revoke', 'root@example.org', id])).code, 0);
      assert.equal((await app.request('/api/me', { headers: { Authorization: `Bearer ${token}` } })).status, 401);
    } finally {
      await db.close();
    }
  });
});
