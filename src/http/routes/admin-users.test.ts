import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addTestUser, sessionCookieFor } from '../../../test/accounts-fixtures.ts';
import { BrowserClient } from '../../../test/browser-client.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { mailTestConfig } from '../../../test/mail-fixtures.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { deliverDue } from '../../mail/delivery.ts';
import { listEml } from '../../mail/eml-outbox.ts';
import { createMailer } from '../../mail/mailer.ts';
import { createApp } from '../app.ts';

describeEachDatabase('/admin/users: invitations, roles, suspension', (open) => {
  let db: Db;
  let dir: string;
  let config: Config;
  let app: ReturnType<typeof createApp>;
  const as = async (email: string, role: 'admin' | 'member', from: string) => {
    const user = await addTestUser(db, email, role);
    const [name, value] = (await sessionCookieFor(db, config, user)).split('=');
    const browser = new BrowserClient(app, from);
    browser.setCookie(name, value);
    return { user, browser };
  };

  before(async () => {
    db = await open();
    dir = mkdtempSync(path.join(tmpdir(), 'paperboy-admin-users-'));
    const base = mailTestConfig({ dataDir: dir });
    config = { ...base, adminToken: 'admin-token-0123456789', accounts: { registration: 'invite', allowedEmailDomains: ['example.org'] } };
    app = createApp({ db, config, cacheTtlMs: 0 });
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an admin invites; the invitation from the .eml outbox makes the account while registration is invite-only', async () => {
    const { browser } = await as('root@example.org', 'admin', '192.0.2.1');
    await browser.get('/admin/users');
    assert.equal((await browser.post('/admin/users/invite', { email: 'guest@elsewhere.test', role: 'member' })).res.headers.get('location'), '/admin/users?error=domain');
    assert.equal((await browser.post('/admin/users/invite', { email: 'newbie@lab.example.org', role: 'member' })).res.headers.get('location'), '/admin/users?notice=invited');
    const mailer = createMailer(config.mail);
    await deliverDue(db, config, mailer);
    mailer.close();
    const { messages } = await listEml(config.mail.outboxDir);
    const invite = messages.find((m) => m.to.includes('newbie@lab.example.org'))!;
    assert.equal(invite.subject, 'You are invited to Paperboy');
    assert.match(invite.text, /root invited you/);
    const link = /https:\/\/papers\.example\.org(\/signin\/invite\/\S+)/.exec(invite.text)![1];
    const guest = new BrowserClient(app, '192.0.2.2');
    assert.match((await guest.get(link)).body, /Make a Paperboy account for newbie@lab.example.org/);
    const done = await guest.post(link, {});
    assert.equal(done.res.headers.get('location'), '/account?welcome=1');
    assert.equal(JSON.parse((await guest.get('/api/me')).body).role, 'member');
    assert.equal((await guest.post(link, {})).res.status, 404, 'an invitation works once');
    const audit = await db.kysely.selectFrom('audit_log').select(['action', 'actor_user_id']).execute();
    assert.ok(audit.some((a) => a.action === 'user.invite'));
  });

  test('members and API tokens do not open /admin/users; the admin token does', async () => {
    const { browser } = await as('member@example.org', 'member', '192.0.2.3');
    assert.equal((await browser.get('/admin/users')).res.status, 401);
    assert.equal((await app.request('/admin/users', { headers: { Authorization: 'Bearer admin-token-0123456789' } })).status, 200);
  });

  test('roles change, suspension signs out everywhere, and the last active admin stays', async () => {
    const admin = await as('boss@example.org', 'admin', '192.0.2.4');
    const other = await as('worker@example.org', 'member', '192.0.2.5');
    await admin.browser.get('/admin/users');
    await admin.browser.post(`/admin/users/${other.user.id}/role`, { role: 'admin' });
    assert.equal(JSON.parse((await other.browser.get('/api/me')).body).role, 'admin');
    await admin.browser.post(`/admin/users/${other.user.id}/status`, { status: 'suspended' });
    assert.equal((await other.browser.get('/api/me')).res.status, 401);
    assert.equal((await db.kysely.selectFrom('sessions').select('id').where('user_id', '=', other.user.id).execute()).length, 0);
    // Every admin but one suspended or demoted: that last one cannot be.
    for (const u of await db.kysely.selectFrom('users').select('id').where('role', '=', 'admin').where('id', '<>', admin.user.id).execute()) {
      await admin.browser.post(`/admin/users/${u.id}/role`, { role: 'member' });
    }
    const refused = await admin.browser.post(`/admin/users/${admin.user.id}/role`, { role: 'member' });
    assert.equal(refused.res.headers.get('location'), '/admin/users?error=last-admin');
    assert.equal(JSON.parse((await admin.browser.get('/api/me')).body).role, 'admin');
    assert.equal((await admin.browser.post('/admin/users/999999/role', { role: 'admin' })).res.status, 404);
    assert.equal((await admin.browser.post(`/admin/users/${other.user.id}/status`, { status: 'active' }, { csrf: false })).res.status, 403, 'CSRF applies to admins');
    const actions = (await db.kysely.selectFrom('audit_log').select('action').execute()).map((a) => a.action);
    assert.ok(actions.includes('user.role') && actions.includes('user.suspend'));
  });
});
