import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './config.ts';
import { withSecretKey } from './secret-key.ts';

test('without SECRET_KEY a key is generated once under DATA_DIR (mode 0600), logged, and reused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-key-'));
  try {
    const logs: string[] = [];
    const first = withSecretKey(loadConfig({ DATA_DIR: dir }), (l) => logs.push(l));
    const second = withSecretKey(loadConfig({ DATA_DIR: dir }), (l) => logs.push(l));
    assert.match(first.secretKey!, /^[0-9a-f]{64}$/);
    assert.equal(second.secretKey, first.secretKey);
    assert.equal(logs.length, 1);
    assert.match(logs[0], /Generated a secret key .*secret-key/);
    assert.equal(fs.statSync(path.join(dir, 'secret-key')).mode & 0o777, 0o600);
    const configured = withSecretKey(loadConfig({ DATA_DIR: dir, SECRET_KEY: 'c'.repeat(40) }), (l) => logs.push(l));
    assert.equal(configured.secretKey, 'c'.repeat(40));
    assert.throws(() => loadConfig({ SECRET_KEY: 'short' }), /SECRET_KEY: must be at least 32 characters/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
