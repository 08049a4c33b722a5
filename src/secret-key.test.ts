import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './config.ts';
import { adminSignInMessage } from './http/admin-auth.ts';
import { withAdminToken, withSecretKey } from './secret-key.ts';

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

test('without ADMIN_TOKEN, serve gets an admin token generated once under DATA_DIR and a sign-in link to print; a chosen token is never printed', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-admin-token-'));
  try {
    const logs: string[] = [];
    const first = withAdminToken(loadConfig({ DATA_DIR: dir }), (l) => logs.push(l));
    const second = withAdminToken(loadConfig({ DATA_DIR: dir }), (l) => logs.push(l));
    assert.match(first.adminToken!, /^[0-9a-f]{64}$/);
    assert.equal(second.adminToken, first.adminToken);
    assert.equal(second.adminTokenSource, 'generated');
    assert.equal(logs.length, 1);
    assert.match(logs[0], /Generated an admin token at .*admin-token/);
    assert.equal(fs.statSync(path.join(dir, 'admin-token')).mode & 0o777, 0o600);
    assert.equal(adminSignInMessage(second, 'http://localhost:3000'), `Admin: http://localhost:3000/admin?token=${first.adminToken}`);
    const chosen = withAdminToken(loadConfig({ DATA_DIR: dir, ADMIN_TOKEN: 'chosen-admin-token-0123' }));
    assert.equal(chosen.adminToken, 'chosen-admin-token-0123');
    assert.equal(adminSignInMessage(chosen, 'http://localhost:3000'), 'Admin: http://localhost:3000/admin (sign in with ADMIN_TOKEN)');
    assert.equal(adminSignInMessage(loadConfig({ DATA_DIR: dir }), 'http://localhost:3000'), undefined, 'closed when no token was resolved');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
