import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BrowserClient, hrefs } from '../../../test/browser-client.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { addFixturePapers, DAY1, DAY2, mailTestConfig } from '../../../test/mail-fixtures.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../../test/smtp-sink.ts';
import type { Db } from '../../db/database.ts';
import { runDigest } from '../../digest/digest.service.ts';
import { deliverDue } from '../../mail/delivery.ts';
import { createMailer } from '../../mail/mailer.ts';
import { findSubscriberByEmail } from '../../subscriptions/subscriptions.repo.ts';
import { createApp } from '../app.ts';

const BASE = 'https://papers.example.org';

/** The header as it stands in the raw message, unfolded. */
function rawHeader(mail: ReceivedMail, name: string): string | undefined {
  const head = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
}

/** The path of the first link in a text that starts with BASE + prefix. */
function linkIn(text: string, prefix: string): string {
  const m = new RegExp(`${BASE.replaceAll('.', '\\.')}(${prefix}[^\\s"<>]*)`).exec(text);
  assert.ok(m, `no ${prefix} link in:\n${text}`);
  return m[1];
}

describeEachDatabase('subscribing in the browser, mail over SMTP', (open) => {
  let db: Db;
  let sink: SmtpSink;
  let app: ReturnType<typeof createApp>;
  let config: ReturnType<typeof mailTestConfig>;
  const deliver = async () => {
    const mailer = createMailer(config.mail);
    try {
      return await deliverDue(db, config, mailer);
    } finally {
      mailer.close();
    }
  };
  const digestNow = async (day: string) => {
    const mailer = createMailer(config.mail);
    try {
      return await runDigest(db, config, mailer, { day, sendNow: true });
    } finally {
      mailer.close();
    }
  };
  const mailsTo = (to: string) => sink.received.filter((m) => m.to === to);

  before(async () => {
    db = await open();
    sink = await startSmtpSink();
    config = { ...mailTestConfig({ smtpUrl: sink.url }), adminToken: 'admin-token-0123456789' };
    await addFixturePapers(db);
    app = createApp({ db, config });
  });
  after(async () => {
    await db.close();
    await sink.close();
  });

  test('the form refuses a POST without its CSRF token, and explains invalid input', async () => {
    const browser = new BrowserClient(app);
    const page = await browser.get('/subscribe');
    assert.equal(page.res.status, 200);
    assert.match(page.body, /name="_csrf" value="[A-Za-z0-9_-]{43}"/);
    assert.equal((await browser.post('/subscribe', { email: 'x@example.org' }, { csrf: false })).res.status, 403);
    assert.equal((await new BrowserClient(app).post('/subscribe', { email: 'x@example.org', _csrf: 'forged' }, { csrf: false })).res.status, 403);
    const bad = await browser.post('/subscribe', { email: 'not an address', digest_size: '500', time_zone: 'Mars/Olympus' });
    assert.equal(bad.res.status, 400);
    assert.match(bad.body, /does not look like an email address/);
    assert.match(bad.body, /at most 50 papers/);
    assert.match(bad.body, /Pick a time zone from the list/);
    assert.match(bad.body, /value="not an address"/, 'what was typed is kept');
    assert.equal(sink.received.length + (await db.kysely.selectFrom('subscribers').select('id').execute()).length, 0);
  });

  test('subscribe, confirm by the mailed link, get a digest with an alert, manage it, unsubscribe in one click', async () => {
    const browser = new BrowserClient(app);
    const first = await browser.post('/subscribe', { email: 'Reader@Example.org', digest: 'on', digest_size: '3', time_zone: 'UTC', alert_query: 'diffusion models' });
    assert.equal(first.res.status, 200);
    assert.match(first.body, /Check your inbox/);
    assert.equal((await digestNow(DAY1)).delivery.sent, 1, 'only the confirmation: nothing else before confirming');
    const [confirmation] = mailsTo('reader@example.org');
    assert.equal(confirmation.subject, 'Confirm your Paperboy subscription');
    assert.equal(rawHeader(confirmation, 'List-Unsubscribe'), undefined, 'a confirmation is not list mail');
    const confirmLink = linkIn(confirmation.text, '/subscribe/confirm/');
    assert.ok(hrefs(confirmation.html).includes(BASE + confirmLink), 'the HTML part has the same link');

    const confirmPage = await browser.get(confirmLink);
    assert.equal(confirmPage.res.status, 200);
    assert.equal((await findSubscriberByEmail(db.kysely, 'reader@example.org'))!.status, 'pending', 'opening the link changes nothing');
    const confirmed = await browser.post(confirmLink, {});
    assert.equal(confirmed.res.status, 303);
    const manageUrl = confirmed.res.headers.get('Location')!;
    assert.match((await browser.get(manageUrl)).body, /Subscription confirmed/);
    assert.equal((await browser.post(confirmLink, {})).res.status, 404, 'the link works once');

    const digestRun = await digestNow(DAY1);
    assert.equal(digestRun.delivery.sent, 1);
    const digest = mailsTo('reader@example.org')[1];
    assert.match(digest.subject, /1 new for your alerts, 3 trending papers · Thursday, July 2, 2026/);
    assert.equal(rawHeader(digest, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    const unsubscribeUrl = /^<(https:\/\/[^>]+)>$/.exec(rawHeader(digest, 'List-Unsubscribe')!)![1];
    assert.match(digest.text, /ALERT: “diffusion models”\n\n\* Diffusion models for protein design 3/);
    assert.match(digest.text, /TRENDING PAPERS\n\n1\. Paper 1 on graph learning/);
    assert.match(digest.html, /<table role="presentation"/);
    assert.doesNotMatch(digest.html, /<img|<script|<link |<style/i, 'no images, scripts or external styles');
    const links = hrefs(digest.html);
    assert.ok(links.length >= 6 && links.every((l) => l.startsWith(`${BASE}/`)), 'every link points back to Paperboy');
    for (const link of new Set([...links, ...digest.text.match(/https:\/\/papers\.example\.org\/\S+/g)!])) {
      const { res } = await browser.get(link.slice(BASE.length));
      assert.equal(res.status, 200, link);
    }

    const saved = await browser.post(manageUrl.split('?')[0], { digest: 'on', digest_size: '2', time_zone: 'Europe/Paris' });
    assert.equal(saved.res.status, 303);
    assert.equal((await browser.post(`${manageUrl.split('?')[0]}/alerts`, { category: 'cs.LG' })).res.status, 303);
    const bad = await browser.post(`${manageUrl.split('?')[0]}/alerts`, { query: '  ' });
    assert.equal(bad.res.status, 400);
    assert.match(bad.body, /An alert needs a search, a category, an organization or an author/);
    const manage = await browser.get(manageUrl);
    assert.match(manage.body, /“diffusion models”/);
    assert.match(manage.body, /in cs\.LG/);
    assert.match(manage.body, /<option value="Europe\/Paris" selected/);

    // RFC 8058: the mail client POSTs this body to the List-Unsubscribe URL, with no cookie and no token.
    const oneClick = await app.request(unsubscribeUrl.slice(BASE.length), {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(oneClick.status, 200);
    assert.equal((await findSubscriberByEmail(db.kysely, 'reader@example.org'))!.status, 'unsubscribed');
    assert.equal((await digestNow(DAY2)).delivery.sent, 0, 'no more mail');
    assert.match((await browser.get(manageUrl)).body, /You are unsubscribed/);
  });

  test('opening an unsubscribe link only asks; the button unsubscribes', async () => {
    const browser = new BrowserClient(app);
    await browser.post('/subscribe', { email: 'keeper@example.org', digest: 'on' });
    await deliver();
    const link = linkIn(mailsTo('keeper@example.org')[0].text, '/subscribe/confirm/');
    await browser.post(link, {});
    await digestNow(DAY2);
    const unsubscribe = linkIn(mailsTo('keeper@example.org')[1].text, '/unsubscribe/');
    const page = await browser.get(unsubscribe);
    assert.match(page.body, /Stop all Paperboy mail to keeper@example.org\?/);
    assert.equal((await findSubscriberByEmail(db.kysely, 'keeper@example.org'))!.status, 'active');
    assert.match((await browser.post(unsubscribe, {})).body, /will receive no more Paperboy mail/);
    assert.equal((await findSubscriberByEmail(db.kysely, 'keeper@example.org'))!.status, 'unsubscribed');
  });

  test('the page after subscribing is the same whether or not the address is subscribed', async () => {
    const answer = async (email: string) => (await new BrowserClient(app, '198.51.100.7').post('/subscribe', { email, digest: 'on' })).body.replace(email, 'EMAIL');
    assert.equal((await findSubscriberByEmail(db.kysely, 'keeper@example.org'))!.status, 'unsubscribed');
    await db.kysely.updateTable('subscribers').set({ status: 'active' }).where('email', '=', 'keeper@example.org').execute();
    assert.equal(await answer('keeper@example.org'), await answer('stranger@example.org'));
  });

  test('/admin/outbox answers loopback and ADMIN_TOKEN holders only', async () => {
    assert.equal((await new BrowserClient(app, '203.0.113.5').get('/admin/outbox')).res.status, 401);
    assert.equal((await new BrowserClient(app, '127.0.0.1').get('/admin/outbox')).res.status, 200);
    assert.equal((await new BrowserClient(app, '::1').get('/admin/outbox')).res.status, 200);
    assert.equal((await new BrowserClient(app, '127.0.0.1').get('/admin/outbox', { 'X-Forwarded-For': '203.0.113.5' })).res.status, 401, 'a local proxy relays strangers');
    assert.equal((await new BrowserClient(app, '203.0.113.5').get('/admin/outbox', { Authorization: 'Bearer admin-token-0123456789' })).res.status, 200);
    const basic = `Basic ${Buffer.from('admin:admin-token-0123456789').toString('base64')}`;
    const page = await new BrowserClient(app, '203.0.113.5').get('/admin/outbox', { Authorization: basic });
    assert.equal(page.res.status, 200);
    assert.match(page.body, /Outbox/);
    assert.equal((await new BrowserClient(app, '203.0.113.5').get('/admin/outbox', { Authorization: 'Bearer wrong' })).res.status, 401);
  });
});
