import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser, sessionCookieFor } from '../../../test/accounts-fixtures.ts';
import { BrowserClient } from '../../../test/browser-client.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { mailTestConfig } from '../../../test/mail-fixtures.ts';
import type { Db } from '../../db/database.ts';
import { createApp } from '../app.ts';

const config = mailTestConfig();

describeEachDatabase('the account page: sessions and API tokens are their owner\'s alone', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  /** A browser signed in as a new account. */
  const signedIn = async (email: string, from: string) => {
    const user = await addTestUser(db, email);
    const [name, value] = (await sessionCookieFor(db, config, user)).split('=');
    const browser = new BrowserClient(app, from);
    browser.setCookie(name, value);
    await browser.get('/account');
    return { user, browser };
  };
  const sessionIdsOf = async (userId: number) => (await db.kysely.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).map((r) => r.id);
  const makeToken = async (browser: BrowserClient, name: string) => {
    const made = await browser.post('/account/tokens', { name });
    assert.equal(made.res.status, 200);
    return /id="new-token">(pb_[A-Za-z0-9_-]{43})</.exec(made.body)![1];
  };

  before(async () => {
    db = await open();
    app = createApp({ db, config, cacheTtlMs: 0 });
  });
  after(() => db.close());

  test('a token is shown once, works as Bearer on /api, and stops when revoked', async () => {
    const { browser } = await signedIn('ada@example.org', '192.0.2.1');
    const token = await makeToken(browser, 'laptop <script>');
    const page = await browser.get('/account');
    assert.doesNotMatch(page.body, new RegExp(token), 'never shown again');
    assert.match(page.body, new RegExp(`${token.slice(0, 10)}…`));
    assert.match(page.body, /laptop &lt;script&gt;/, 'the name is escaped');
    const me = await app.request('/api/me', { headers: { Authorization: `Bearer ${token}` } });
    assert.equal((await me.json()).token.name, 'laptop <script>');
    const stored = await db.kysely.selectFrom('api_tokens').select('token_hash').execute();
    assert.ok(stored.every((r) => r.token_hash !== token && !r.token_hash.includes(token.slice(3))), 'only a hash is stored');
    const id = /action="\/account\/tokens\/(\d+)\/revoke"/.exec(page.body)![1];
    assert.equal((await browser.post(`/account/tokens/${id}/revoke`, {})).res.status, 303);
    assert.equal((await app.request('/api/me', { headers: { Authorization: `Bearer ${token}` } })).status, 401);
  });

  test('B cannot see, revoke or use A\'s sessions and tokens through any page or endpoint: 404, like an id that does not exist', async () => {
    const a = await signedIn('alice@example.org', '192.0.2.2');
    const b = await signedIn('bob@example.org', '192.0.2.3');
    const aToken = await makeToken(a.browser, 'alice-script');
    const aTokenId = (await db.kysely.selectFrom('api_tokens').select('id').where('user_id', '=', a.user.id).executeTakeFirstOrThrow()).id;
    const [aSession] = await sessionIdsOf(a.user.id);
    const bPage = (await b.browser.get('/account')).body;
    assert.doesNotMatch(bPage, /alice/);
    assert.doesNotMatch(bPage, new RegExp(`/account/sessions/${aSession}/`));
    const missing = await b.browser.post('/account/sessions/999999/revoke', {});
    const strip = (html: string) => html.replace(/value="[A-Za-z0-9_-]{43}"/g, '');
    for (const path of [`/account/sessions/${aSession}/revoke`, `/account/tokens/${aTokenId}/revoke`]) {
      const tried = await b.browser.post(path, {});
      assert.equal(tried.res.status, 404, path);
      assert.equal(strip(tried.body), strip(missing.body), `${path} looks exactly like a missing id`);
    }
    // Other methods and shapes of the same addresses, pages and API alike.
    for (const [method, path] of [['GET', `/account/sessions/${aSession}`], ['DELETE', `/account/sessions/${aSession}`], ['GET', `/account/tokens/${aTokenId}`], ['DELETE', `/api/tokens/${aTokenId}`], ['GET', `/api/sessions/${aSession}`]]) {
      const res = await b.browser.request(path, { method, headers: { 'X-CSRF-Token': 'x' } });
      assert.ok([403, 404].includes(res.res.status), `${method} ${path}: ${res.res.status}`);
    }
    // Alice is untouched.
    assert.equal(JSON.parse((await a.browser.get('/api/me')).body).email, 'alice@example.org');
    assert.equal((await app.request('/api/me', { headers: { Authorization: `Bearer ${aToken}` } })).status, 200);
    assert.deepEqual(await sessionIdsOf(a.user.id), [aSession]);
    // B's own token acts as B only.
    const bToken = await makeToken(b.browser, 'bob-script');
    assert.equal((await (await app.request('/api/me', { headers: { Authorization: `Bearer ${bToken}`, Cookie: `paperboy_session=x` } })).json()).email, 'bob@example.org');
  });

  test('the account pages need a session and, for changes, the CSRF token from our own pages', async () => {
    const nobody = new BrowserClient(app, '192.0.2.9');
    const page = await nobody.get('/account');
    assert.equal(page.res.status, 303);
    assert.equal(page.res.headers.get('location'), '/signin?next=%2Faccount');
    assert.equal((await nobody.post('/account/tokens', { name: 'x' })).res.status, 401);
    const { browser, user } = await signedIn('carol@example.org', '192.0.2.4');
    assert.equal((await browser.post('/account/tokens', { name: 'x' }, { csrf: false })).res.status, 403);
    assert.equal((await browser.post('/account/tokens', { name: 'x' }, { headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' } })).res.status, 403);
    assert.equal((await db.kysely.selectFrom('api_tokens').select('id').where('user_id', '=', user.id).execute()).length, 0);
    assert.equal((await browser.get('/account/tokens')).res.status, 404, 'no state change on GET');
  });

  test('signing out this session from the list signs this browser out; the profile name is cleaned and escaped', async () => {
    const { browser, user } = await signedIn('dora@example.org', '192.0.2.5');
    await browser.post('/account/profile', { display_name: '  Dora \u202e<b>X</b> ' });
    const page = await browser.get('/account');
    assert.match(page.body, /title="dora@example.org">Dora &lt;b&gt;X&lt;\/b&gt;</);
    const [id] = await sessionIdsOf(user.id);
    const out = await browser.post(`/account/sessions/${id}/revoke`, {});
    assert.equal(out.res.headers.get('location'), '/');
    assert.equal((await browser.get('/api/me')).res.status, 401);
  });
});
