import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BrowserClient } from '../../../test/browser-client.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { mailTestConfig } from '../../../test/mail-fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { deliverDue } from '../../mail/delivery.ts';
import { createMailer } from '../../mail/mailer.ts';
import { SIGN_IN_LIMITS } from '../../accounts/sign-in.service.ts';
import { addSubscriberDirectly } from '../../subscriptions/subscriptions.service.ts';
import { createApp } from '../app.ts';

const BASE = 'https://papers.example.org';

describeEachDatabase('signing in by email link and password, over SMTP', (open) => {
  let db: Db;
  let sink: SmtpSink;
  let config: Config;
  let app: ReturnType<typeof createApp>;
  let seen = 0;
  /** Sends what is queued and returns the new mails. */
  const deliver = async () => {
    const mailer = createMailer(config.mail);
    try {
      await deliverDue(db, config, mailer);
    } finally {
      mailer.close();
    }
    const fresh = sink.received.slice(seen);
    seen = sink.received.length;
    return fresh;
  };
  const linkIn = (text: string, prefix: string) => {
    const m = new RegExp(`${BASE.replaceAll('.', '\\.')}(${prefix}[^\\s"<>]+)`).exec(text);
    assert.ok(m, `no ${prefix} link in:\n${text}`);
    return m[1];
  };
  /** A browser that signs up (or in) by the mailed link and comes back signed in. */
  const signInByLink = async (email: string, from = '192.0.2.10') => {
    const browser = new BrowserClient(app, from);
    await browser.get('/signin');
    const asked = await browser.post('/signin/link', { email });
    assert.equal(asked.res.status, 200);
    const [mail] = await deliver();
    assert.equal(mail.to, email);
    const path = linkIn(mail.text, '/signin/link/');
    const button = await browser.get(path);
    assert.equal(button.res.status, 200, 'opening the link changes nothing: it shows a button');
    const done = await browser.post(path, {});
    assert.equal(done.res.status, 303);
    return { browser, mail, path, done };
  };

  before(async () => {
    db = await open();
    sink = await startSmtpSink();
    config = { ...mailTestConfig({ smtpUrl: sink.url }), accounts: { registration: 'open', allowedEmailDomains: [] } };
    app = createApp({ db, config, cacheTtlMs: 0 });
  });
  after(async () => {
    await sink.close();
    await db.close();
  });

  test('sign up by the mailed link: a button, then an account and a session; the link works once', async () => {
    const { browser, mail, path, done } = await signInByLink('newcomer@example.org');
    assert.equal(mail.subject, 'Finish signing up to Paperboy');
    assert.equal(done.res.headers.get('location'), '/account?welcome=1');
    const cookie = done.res.headers.getSetCookie().find((c) => c.startsWith('__Host-paperboy_session='))!;
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /Secure/i, 'PUBLIC_BASE_URL is https');
    const account = await browser.get(done.res.headers.get('location')!);
    assert.equal(account.res.status, 200);
    assert.match(account.body, /Signed in as <strong>newcomer@example.org<\/strong>/);
    assert.match(account.body, /Welcome!/);
    assert.equal((await browser.post(path, {})).res.status, 404, 'used once');
    assert.equal((await new BrowserClient(app).get(path)).res.status, 404);
  });

  test('no account enumeration: the same page for a known, an unknown and a suspended address; mail only where it signs in', async () => {
    await signInByLink('known@example.org');
    const browser = new BrowserClient(app, '192.0.2.20');
    await browser.get('/signin');
    const pages = [];
    for (const email of ['known@example.org', 'stranger@example.org']) pages.push((await browser.post('/signin/link', { email })).body.replaceAll(email, 'EMAIL'));
    assert.equal(pages[0], pages[1]);
    const mails = await deliver();
    assert.deepEqual(mails.map((m) => [m.to, m.subject]).sort(), [['known@example.org', 'Sign in to Paperboy'], ['stranger@example.org', 'Finish signing up to Paperboy']]);
    // With invitations only, a stranger's request sends nothing, and the page is still the same.
    const invitesOnly = createApp({ db, config: { ...config, accounts: { ...config.accounts, registration: 'invite' } }, cacheTtlMs: 0 });
    const other = new BrowserClient(invitesOnly, '192.0.2.21');
    await other.get('/signin');
    const a = (await other.post('/signin/link', { email: 'known@example.org' })).body.replaceAll('known@example.org', 'EMAIL');
    const b = (await other.post('/signin/link', { email: 'nobody@example.org' })).body.replaceAll('nobody@example.org', 'EMAIL');
    assert.equal(a, b);
    assert.deepEqual((await deliver()).map((m) => m.to), ['known@example.org']);
  });

  test('set a password on the account page, sign out, sign in with it; a wrong one and an unknown address read alike', async () => {
    const { browser } = await signInByLink('ada@example.org');
    await browser.get('/account');
    assert.equal((await browser.post('/account/password', { password: 'short' })).res.status, 400);
    const set = await browser.post('/account/password', { password: 'analytical engine notes' });
    assert.equal(set.res.headers.get('location'), '/account?notice=password-set');
    await browser.post('/signout', {});
    assert.equal((await browser.get('/api/me')).res.status, 401);
    await browser.get('/signin');
    const wrong = await browser.post('/signin/password', { email: 'ada@example.org', password: 'analytical engine noted' });
    const unknown = await browser.post('/signin/password', { email: 'nobody@example.org', password: 'analytical engine noted' });
    assert.equal(wrong.res.status, 401);
    assert.equal(wrong.body.replaceAll('ada@example.org', 'EMAIL'), unknown.body.replaceAll('nobody@example.org', 'EMAIL'));
    const ok = await browser.post('/signin/password', { email: 'ada@example.org', password: 'analytical engine notes', next: '/trending' });
    assert.equal(ok.res.status, 303);
    assert.equal(ok.res.headers.get('location'), '/trending');
    assert.equal(JSON.parse((await browser.get('/api/me')).body).email, 'ada@example.org');
    const evil = await browser.post('/signin/password', { email: 'ada@example.org', password: 'analytical engine notes', next: '//evil.example/x' });
    assert.equal(evil.res.headers.get('location'), '/', 'never back to another site');
  });

  test('password sign-in is rate limited per address (from anywhere) and per client', async () => {
    const { browser } = await signInByLink('grace@example.org');
    await browser.get('/account');
    await browser.post('/account/password', { password: 'compilers all the way' });
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMITS.passwordPerAddress.max; i++) {
      const guesser = new BrowserClient(app, `198.51.100.${i + 1}`);
      await guesser.get('/signin');
      statuses.push((await guesser.post('/signin/password', { email: 'grace@example.org', password: `guess number ${i} x` })).res.status);
    }
    assert.deepEqual(new Set(statuses), new Set([401]));
    const owner = new BrowserClient(app, '203.0.113.5');
    await owner.get('/signin');
    const blocked = await owner.post('/signin/password', { email: 'grace@example.org', password: 'compilers all the way' });
    assert.equal(blocked.res.status, 429, 'the address is locked for the window, even with the right password');
    const flood = new BrowserClient(app, '203.0.113.9');
    await flood.get('/signin');
    let last = 0;
    for (let i = 0; i <= SIGN_IN_LIMITS.perClient.max; i++) last = (await flood.post('/signin/link', { email: `flood${i}@example.org` })).res.status;
    assert.equal(last, 429, 'one client cannot ask without end');
    await deliver();
  });

  test('a sign-in rotates the session: a value the browser had before is worthless after', async () => {
    const first = await signInByLink('turing@example.org', '192.0.2.30');
    const before = first.done.res.headers.getSetCookie().find((c) => c.startsWith('__Host-paperboy_session='))!.split(';')[0];
    const again = await signInByLink('turing@example.org', '192.0.2.31');
    // The second browser signs in again while holding the first one's cookie value.
    const browser = again.browser;
    await browser.get('/signin');
    const planted = new BrowserClient(app, '192.0.2.32');
    assert.equal((await planted.get('/api/me', { Cookie: before })).res.status, 200, 'the first session works');
    await first.browser.get('/signin');
    await first.browser.post('/signin/link', { email: 'turing@example.org' });
    const [mail] = await deliver();
    const path = linkIn(mail.text, '/signin/link/');
    const done = await first.browser.post(path, {});
    const after = done.res.headers.getSetCookie().find((c) => c.startsWith('__Host-paperboy_session='))!.split(';')[0];
    assert.notEqual(after, before);
    assert.equal((await planted.get('/api/me', { Cookie: before })).res.status, 401, 'the old value ended at sign-in');
  });

  test('sign out everywhere else; the session list; a password reset by mail ends every session', async () => {
    const a = await signInByLink('hopper@example.org', '192.0.2.40');
    const b = await signInByLink('hopper@example.org', '192.0.2.41');
    const page = await a.browser.get('/account');
    assert.equal((page.body.match(/Sign out this session/g) ?? []).length, 1, 'the other browser is listed');
    assert.match(page.body, /this browser/);
    await a.browser.post('/account/sessions/others', {});
    assert.equal((await b.browser.get('/api/me')).res.status, 401);
    assert.equal((await a.browser.get('/api/me')).res.status, 200);

    // At most 3 mails with links to one address per 15 minutes: this is the third.
    const forgot = new BrowserClient(app, '192.0.2.43');
    await forgot.get('/signin/forgot');
    await forgot.post('/signin/forgot', { email: 'hopper@example.org' });
    const [mail] = await deliver();
    assert.equal(mail.subject, 'Reset your Paperboy password');
    const path = linkIn(mail.text, '/signin/reset/');
    await forgot.get(path);
    assert.equal((await forgot.post(path, { password: 'password1234' })).res.status, 400, 'a common password is refused');
    const reset = await forgot.post(path, { password: 'nanoseconds are a foot long' });
    assert.equal(reset.res.status, 303);
    assert.equal((await a.browser.get('/api/me')).res.status, 401);
    assert.equal(JSON.parse((await forgot.get('/api/me')).body).hasPassword, true);
    assert.equal((await forgot.post(path, { password: 'nanoseconds are a foot long' })).res.status, 404, 'a reset link works once');
  });

  test('an email subscription confirmed before sign-up joins the account; a pending one does not', async () => {
    await addSubscriberDirectly(db.kysely, { email: 'reader@example.org', confirmed: true, timeZone: 'UTC', digestSize: 5, alerts: [] });
    await addSubscriberDirectly(db.kysely, { email: 'pending@example.org', confirmed: false, timeZone: 'UTC', digestSize: 5, alerts: [] });
    await deliver(); // the pending one's confirmation mail
    const reader = await signInByLink('reader@example.org');
    assert.equal(JSON.parse((await reader.browser.get('/api/me')).body).subscribed, true);
    assert.match((await reader.browser.get('/account')).body, /href="\/subscription\/[^"]+">Digest and alerts/);
    const pending = await signInByLink('pending@example.org');
    assert.equal(JSON.parse((await pending.browser.get('/api/me')).body).subscribed, false);
  });
});
