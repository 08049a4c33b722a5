import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserClient, hrefs } from '../../../test/browser-client.ts';
import { describeEachDatabase, freshSqlite } from '../../../test/databases.ts';
import { addFixturePapers, DAY1, DAY2, mailTestConfig } from '../../../test/mail-fixtures.ts';
import { freePort, nginxMissing, startNginx } from '../../../test/nginx.ts';
import { rawRequest } from '../../../test/raw-http.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../../test/smtp-sink.ts';
import type { Db } from '../../db/database.ts';
import { runDigest } from '../../digest/digest.service.ts';
import { deliverDue } from '../../mail/delivery.ts';
import { createMailer } from '../../mail/mailer.ts';
import { MAX_ALERTS } from '../../subscriptions/subscription-input.ts';
import { addAlert, findSubscriberByEmail, listAlerts } from '../../subscriptions/subscriptions.repo.ts';
import { LIMITS } from '../../subscriptions/subscriptions.service.ts';
import { type RunningServer, startServer } from '../server.ts';

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
  let server: RunningServer;
  let app: string;
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
    config = { ...mailTestConfig({ smtpUrl: sink.url }), host: '127.0.0.1', port: 0 };
    await addFixturePapers(db);
    server = await startServer(config, db);
    app = server.url;
  });
  after(async () => {
    await server.close();
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
    const oneClick = await rawRequest(app + unsubscribeUrl.slice(BASE.length), { method: 'POST', form: { 'List-Unsubscribe': 'One-Click' } });
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
    const answer = async (email: string) => (await new BrowserClient(app, '127.0.0.7').post('/subscribe', { email, digest: 'on' })).body.replace(email, 'EMAIL');
    assert.equal((await findSubscriberByEmail(db.kysely, 'keeper@example.org'))!.status, 'unsubscribed');
    await db.kysely.updateTable('subscribers').set({ status: 'active' }).where('email', '=', 'keeper@example.org').execute();
    assert.equal(await answer('keeper@example.org'), await answer('stranger@example.org'));
  });

  test("the confirmation page shows the form's alert; a stranger's request adds nothing to a pending address", async () => {
    const owner = new BrowserClient(app, '127.0.0.21');
    await owner.post('/subscribe', { email: 'pending-owner@example.org', digest: 'on', time_zone: 'Europe/Paris', alert_query: 'protein folding' });
    await deliver();
    const link = linkIn(mailsTo('pending-owner@example.org')[0].text, '/subscribe/confirm/');
    const stranger = new BrowserClient(app, '127.0.0.22');
    const answer = await stranger.post('/subscribe', { email: 'pending-owner@example.org', digest: 'on', time_zone: 'Asia/Tokyo', alert_query: 'buy cheap pills' });
    assert.match(answer.body, /Check your inbox/);
    await deliver();
    const sub = (await findSubscriberByEmail(db.kysely, 'pending-owner@example.org'))!;
    assert.deepEqual(await listAlerts(db.kysely, sub.id), [], "nothing attached by anyone's form before confirming");
    assert.equal(sub.time_zone, 'Europe/Paris', "the stranger's time zone is not taken");

    const page = await owner.get(link);
    assert.equal(page.res.status, 200);
    assert.match(page.body, /protein folding/, 'the owner sees the alert they accept');
    assert.match(page.body, /Europe\/Paris/);
    assert.doesNotMatch(page.body, /cheap pills/);
    const done = await owner.post(link, {});
    assert.equal(done.res.status, 303);
    assert.deepEqual((await listAlerts(db.kysely, sub.id)).map((a) => a.query), ['protein folding']);
    const tampered = link.replace(/with=[^&]+/, `with=${Buffer.from(JSON.stringify(['UTC', 1, 10, 'buy cheap pills'])).toString('base64url')}`);
    assert.equal((await owner.get(tampered)).res.status, 404, 'choices changed in the link break its signature');
  });

  test('the subscribe form cannot add a 21st alert', async () => {
    const browser = new BrowserClient(app, '127.0.0.23');
    await browser.post('/subscribe', { email: 'many@example.org', digest: 'on' });
    await deliver();
    await browser.post(linkIn(mailsTo('many@example.org')[0].text, '/subscribe/confirm/'), {});
    const sub = (await findSubscriberByEmail(db.kysely, 'many@example.org'))!;
    for (let i = 0; i < MAX_ALERTS; i++) await addAlert(db.kysely, sub.id, { query: `topic ${i}`, category: null, organization: null, author: null }, new Date().toISOString());
    await db.kysely.updateTable('subscribers').set({ status: 'unsubscribed' }).where('id', '=', sub.id).execute();
    // Instead of waiting 10 minutes for the next confirmation mail of this address.
    await db.kysely.deleteFrom('rate_limits').where('key', 'like', 'confirmation-mail%many@example.org').execute();
    await browser.post('/subscribe', { email: 'many@example.org', digest: 'on', alert_query: 'one too many' });
    await deliver();
    const link = linkIn(mailsTo('many@example.org').at(-1)!.text, '/subscribe/confirm/');
    const confirmed = await browser.post(link, {});
    assert.equal(confirmed.res.status, 303);
    const manage = await browser.get(confirmed.res.headers.get('Location')!);
    assert.match(manage.body, /not added/);
    assert.equal((await listAlerts(db.kysely, sub.id)).length, MAX_ALERTS);
  });
});

describe('the subscribe limit behind real nginx proxies (TRUST_PROXY)', { skip: nginxMissing() }, () => {
  const stack = async (hops: 1 | 2) => {
    const db = await freshSqlite();
    // The proxy first, so the server can be told its public address (nginx sends the upstream's as Host).
    const port = await freePort();
    const proxy = await startNginx(`http://127.0.0.1:${port}`, { forwardedFor: true, hops });
    const server = await startServer({ ...mailTestConfig(), host: '127.0.0.1', port, publicBaseUrl: proxy.url, trustProxyHops: hops }, db);
    return { db, proxy, close: async () => (await proxy.close(), await server.close(), await db.close()) };
  };
  const subscribeVia = (proxy: string, from: string, i: number, forwardedFor: string) =>
    new BrowserClient(proxy, from).post('/subscribe', { email: `via-proxy-${from}-${i}@example.org`, digest: 'on' }, { headers: { 'X-Forwarded-For': forwardedFor } });

  for (const hops of [1, 2] as const) {
    test(`TRUST_PROXY=${hops} behind ${hops} proxies: rotating the entries a client writes does not pass the limit, another client is not limited`, async () => {
      const s = await stack(hops);
      try {
        for (let i = 0; i < LIMITS.subscribePerIp.max; i++) assert.equal((await subscribeVia(s.proxy.url, '127.0.0.31', i, `203.0.113.${i}, 198.51.100.${i}`)).res.status, 200);
        assert.equal((await subscribeVia(s.proxy.url, '127.0.0.31', 99, '203.0.113.99, 198.51.100.99')).res.status, 429);
        assert.equal((await subscribeVia(s.proxy.url, '127.0.0.32', 0, '203.0.113.1')).res.status, 200, 'a visitor from another address');
      } finally {
        await s.close();
      }
    });
  }
});
