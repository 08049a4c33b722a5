import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser } from '../../../test/accounts-fixtures.ts';
import { BrowserClient } from '../../../test/browser-client.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { mailTestConfig } from '../../../test/mail-fixtures.ts';
import { authorizeAt, startOidcProvider, type TestOidcProvider } from '../../../test/oidc-provider.ts';
import type { AccountsConfig, Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { createApp } from '../app.ts';

const BASE = 'https://papers.example.org';

describeEachDatabase('single sign-on against a real OpenID provider', (open) => {
  let db: Db;
  let provider: TestOidcProvider;
  let config: Config;
  const appWith = (accounts: Partial<AccountsConfig>, oidc: Partial<NonNullable<AccountsConfig['oidc']>> = {}) =>
    createApp({ db, config: { ...config, accounts: { ...config.accounts, ...accounts, oidc: { ...config.accounts.oidc!, ...oidc } } }, cacheTtlMs: 0 });
  /** Signs in at the provider as `account` and comes back; the browser and our answer to the callback. */
  const signOn = async (app: ReturnType<typeof createApp>, account: string, next?: string) => {
    const browser = new BrowserClient(app);
    const start = await browser.get(`/signin/oidc${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    assert.equal(start.res.status, 303);
    const back = await authorizeAt(start.res.headers.get('location')!, account);
    assert.equal(back.origin + back.pathname, `${BASE}/signin/oidc/callback`);
    const done = await browser.get(back.pathname + back.search);
    return { browser, done, back };
  };

  before(async () => {
    db = await open();
    provider = await startOidcProvider([`${BASE}/signin/oidc/callback`], {
      alice: { email: 'Alice@Lab.example.org', email_verified: true, name: 'Alice Liddell' },
      bob: { email: 'bob@lab.example.org', email_verified: true, name: 'Bob' },
      unverified: { email: 'mallory@lab.example.org', email_verified: false },
      outsider: { email: 'eve@elsewhere.test', email_verified: true },
      carol: { email: 'carol@lab.example.org', email_verified: true },
    });
    const base = mailTestConfig();
    config = { ...base, accounts: { registration: 'open', allowedEmailDomains: [], oidc: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, allowedDomains: [], name: 'Lab SSO' } } };
  });
  after(async () => {
    await provider.close();
    await db.close();
  });

  test('the sign-in page offers it; the provider\'s verified address makes an account and a session, and the next sign-in finds it again', async () => {
    const app = appWith({});
    assert.match((await new BrowserClient(app).get('/signin')).body, /href="\/signin\/oidc">Sign in with Lab SSO</);
    const { browser, done } = await signOn(app, 'alice', '/trending');
    assert.equal(done.res.status, 303);
    assert.equal(done.res.headers.get('location'), '/trending');
    const me = JSON.parse((await browser.get('/api/me')).body);
    assert.deepEqual([me.email, me.displayName, me.role], ['alice@lab.example.org', 'Alice Liddell', 'member']);
    const again = await signOn(app, 'alice');
    assert.equal(JSON.parse((await again.browser.get('/api/me')).body).id, me.id);
    const sessions = await db.kysely.selectFrom('sessions').select('method').where('user_id', '=', me.id).execute();
    assert.deepEqual(sessions.map((s) => s.method), ['oidc', 'oidc']);
  });

  test('an existing account with the same verified address is joined, not duplicated', async () => {
    const bob = await addTestUser(db, 'bob@lab.example.org');
    const { browser } = await signOn(appWith({ registration: 'closed' }), 'bob');
    assert.equal(JSON.parse((await browser.get('/api/me')).body).id, bob.id);
  });

  test('refused: an address the provider does not vouch for, one outside the allowed domains, a new one when registration is closed', async () => {
    const unverified = await signOn(appWith({}), 'unverified');
    assert.equal(unverified.done.res.status, 400);
    assert.match(unverified.done.body, /did not vouch for an email address/);
    const outsider = await signOn(appWith({}, { allowedDomains: ['lab.example.org'] }), 'outsider');
    assert.match(outsider.done.body, /lab’s own domains/);
    const closed = await signOn(appWith({ registration: 'invite' }), 'carol');
    assert.match(closed.done.body, /by invitation/);
    // With OIDC_ALLOWED_DOMAINS the lab's own people may join even while email sign-up is by invitation.
    const lab = await signOn(appWith({ registration: 'invite' }, { allowedDomains: ['lab.example.org'] }), 'carol');
    assert.equal(lab.done.res.status, 303);
    assert.equal(JSON.parse((await lab.browser.get('/api/me')).body).email, 'carol@lab.example.org');
    assert.equal((await db.kysely.selectFrom('users').select('id').where('email', 'in', ['mallory@lab.example.org', 'eve@elsewhere.test']).execute()).length, 0);
  });

  test('the callback needs the browser that started it: another browser, a tampered state and a replayed code sign nobody in', async () => {
    const app = appWith({});
    const { back } = await signOn(app, 'alice');
    const stranger = new BrowserClient(app);
    const stolen = await stranger.get(back.pathname + back.search);
    assert.equal(stolen.res.status, 400, 'no pending cookie: a code sent to someone else is worthless');
    const victim = new BrowserClient(app);
    const start = await victim.get('/signin/oidc');
    const fresh = await authorizeAt(start.res.headers.get('location')!, 'alice');
    const tampered = new URLSearchParams(fresh.search);
    tampered.set('state', 'forged');
    assert.equal((await victim.get(`${fresh.pathname}?${tampered}`)).res.status, 400);
    assert.equal((await victim.get('/api/me')).res.status, 401);
  });

  test('without OIDC_ISSUER there is no single sign-on', async () => {
    const app = createApp({ db, config: { ...config, accounts: { ...config.accounts, oidc: undefined } }, cacheTtlMs: 0 });
    assert.equal((await app.request('/signin/oidc')).status, 404);
    assert.doesNotMatch(await (await app.request('/signin')).text(), /signin\/oidc/);
  });
});
