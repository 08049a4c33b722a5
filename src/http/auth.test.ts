import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import { addTestUser, bearerFor, sessionCookieFor } from '../../test/accounts-fixtures.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { addFixturePapers, mailTestConfig } from '../../test/mail-fixtures.ts';
import { setStatus } from '../accounts/accounts.service.ts';
import type { User } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import { createApp } from './app.ts';
import { safeNextPath } from './auth.ts';

const config = { ...mailTestConfig(), adminToken: 'admin-token-0123456789' };

describeEachDatabase('who is asking: session cookies, API tokens, the cache and /admin', (open) => {
  let db: Db;
  let app: Hono;
  let ada: User;
  let bob: User;
  let adaCookie: string;
  let bobCookie: string;
  let adaBearer: string;

  before(async () => {
    db = await open();
    await addFixturePapers(db);
    app = createApp({ db, config, cacheTtlMs: 60_000 });
    ada = await addTestUser(db, 'ada@example.org', 'admin');
    bob = await addTestUser(db, 'bob@example.org');
    adaCookie = await sessionCookieFor(db, config, ada);
    bobCookie = await sessionCookieFor(db, config, bob);
    adaBearer = await bearerFor(db, ada);
  });
  after(() => db.close());

  test('GET /api/me answers the account of the cookie or the token, and 401 to nobody', async () => {
    const byCookie = await app.request('/api/me', { headers: { Cookie: adaCookie } });
    assert.equal(byCookie.status, 200);
    assert.deepEqual({ ...(await byCookie.json()), createdAt: undefined }, { id: ada.id, email: 'ada@example.org', displayName: null, role: 'admin', hasPassword: false, subscribed: false, authenticatedBy: 'session', createdAt: undefined });
    assert.match(byCookie.headers.get('cache-control') ?? '', /private, no-store/);
    const byToken = await (await app.request('/api/me', { headers: { Authorization: adaBearer } })).json();
    assert.equal(byToken.email, 'ada@example.org');
    assert.equal(byToken.authenticatedBy, 'api-token');
    const nobody = await app.request('/api/me');
    assert.equal(nobody.status, 401);
    assert.equal((await nobody.json()).error.status, 401);
    const forged = await app.request('/api/me', { headers: { Cookie: `${adaCookie.split('=')[0]}=${'A'.repeat(43)}` } });
    assert.equal(forged.status, 401, 'a made-up session value is nobody');
  });

  test('a token is the token\'s account only: an unknown one is a 401, its cookies are ignored, and pages ignore tokens', async () => {
    const unknown = await app.request('/api/me', { headers: { Authorization: `Bearer pb_${'x'.repeat(43)}` } });
    assert.equal(unknown.status, 401);
    assert.match(unknown.headers.get('www-authenticate') ?? '', /invalid_token/);
    const both = await (await app.request('/api/me', { headers: { Authorization: adaBearer, Cookie: bobCookie } })).json();
    assert.equal(both.email, 'ada@example.org');
    const page = await (await app.request('/subscribe', { headers: { Authorization: adaBearer } })).text();
    assert.match(page, /Sign in/, 'a page shows nobody signed in for a token');
  });

  test('pages show the reader\'s account menu, and the shared part comes from the cache for everyone', async () => {
    const anonymous = await (await app.request('/')).text();
    assert.match(anonymous, /href="\/signin">Sign in</);
    const forAda = await app.request('/', { headers: { Cookie: adaCookie } });
    const adaHtml = await forAda.text();
    assert.match(adaHtml, /class="account-name" title="ada@example.org">ada</);
    assert.match(adaHtml, /href="\/admin\/users">Admin</);
    assert.doesNotMatch(adaHtml, /href="\/signin">Sign in</);
    assert.match(forAda.headers.get('cache-control') ?? '', /private, no-store/);
    const forBob = await (await app.request('/', { headers: { Cookie: bobCookie, 'Accept-Encoding': 'gzip' } })).arrayBuffer();
    const bobHtml = gunzipSync(Buffer.from(forBob)).toString();
    assert.match(bobHtml, /title="bob@example.org">bob</);
    assert.doesNotMatch(bobHtml, /ada@example.org|Admin</);
    // Same shared page: everything outside the user slots comes in the same order, byte for byte.
    const shared = anonymous.split(/<!--slot:[a-z-]+:[A-Za-z0-9._-]+-->[\s\S]*?<!--\/slot-->/);
    assert.ok(shared.length > 1, 'the page has slots');
    for (const html of [adaHtml, bobHtml]) {
      let at = 0;
      for (const part of shared) {
        const found = html.indexOf(part, at);
        assert.ok(found >= at, `shared part missing: ${part.slice(0, 80)}`);
        at = found + part.length;
      }
    }
  });

  test('CSRF: a cookie session must send the form token; a token request needs none', async () => {
    const post = (headers: Record<string, string>) => app.request('/api/me', { method: 'POST', headers });
    assert.equal((await post({ Cookie: adaCookie })).status, 403, 'cookie without CSRF token');
    assert.equal((await post({ Authorization: adaBearer })).status, 404, 'token: past the CSRF check (no such route)');
    assert.equal((await post({ Authorization: 'Bearer admin-token-0123456789' })).status, 403, 'the admin token is no API token: CSRF applies');
  });

  test('/admin opens for a signed-in admin as for the admin token; not for a member', async () => {
    assert.equal((await app.request('/admin/outbox', { headers: { Cookie: adaCookie } })).status, 200);
    assert.equal((await app.request('/admin/outbox', { headers: { Authorization: 'Bearer admin-token-0123456789' } })).status, 200);
    assert.equal((await app.request('/admin/outbox', { headers: { Cookie: bobCookie } })).status, 401);
    assert.equal((await app.request('/admin/outbox', { headers: { Authorization: adaBearer } })).status, 401, 'an API token does not open /admin');
  });

  test('a suspended account is nobody: its sessions end and its tokens stop working', async () => {
    const carol = await addTestUser(db, 'carol@example.org');
    const cookie = await sessionCookieFor(db, config, carol);
    const token = await bearerFor(db, carol);
    assert.equal((await app.request('/api/me', { headers: { Cookie: cookie } })).status, 200);
    await setStatus({ db: db.kysely, accounts: config.accounts }, ada.id, carol, 'suspended');
    assert.equal((await app.request('/api/me', { headers: { Cookie: cookie } })).status, 401);
    assert.equal((await app.request('/api/me', { headers: { Authorization: token } })).status, 401);
  });
});

test('only a path on this site is a place to go back to after signing in', () => {
  for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '', undefined, '/\nSet-Cookie: x']) assert.equal(safeNextPath(bad), '/');
  assert.equal(safeNextPath('/papers/2401.01234?x=1'), '/papers/2401.01234?x=1');
});
