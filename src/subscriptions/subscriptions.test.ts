import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { hitRateLimit } from './rate-limits.ts';
import { addAlert, findSubscriberByEmail, listAlerts } from './subscriptions.repo.ts';
import * as service from './subscriptions.service.ts';
import { confirmPath, managePath } from './links.ts';
import { MAX_ALERTS } from './subscription-input.ts';
import { parseToken, signToken, verifyToken } from './tokens.ts';

const KEY = 'k'.repeat(64);

/** The parts of a confirmation link the service checks: the token, and the signed choices it carries. */
function linkParts(path: string): service.ConfirmationLink {
  const url = new URL(path, 'https://papers.example.org');
  return { token: url.pathname.split('/').pop()!, with: url.searchParams.get('with') ?? undefined };
}

test('tokens verify only for their purpose, key, nonce and lifetime', () => {
  const now = new Date('2026-07-01T00:00:00Z');
  const expires = Math.floor(now.getTime() / 1000) + 60;
  const token = parseToken(signToken(KEY, 'confirm', 42, { expires, nonce: 'n1' }))!;
  assert.equal(token.id, 42);
  assert.ok(verifyToken(KEY, 'confirm', token, { nonce: 'n1', now }));
  assert.ok(!verifyToken(KEY, 'confirm', token, { nonce: 'n2', now }), 'another nonce (link used) fails');
  assert.ok(!verifyToken(KEY, 'manage', token, { nonce: 'n1', now }), 'another purpose fails');
  assert.ok(!verifyToken('x'.repeat(64), 'confirm', token, { nonce: 'n1', now }), 'another key fails');
  assert.ok(!verifyToken(KEY, 'confirm', token, { nonce: 'n1', now: new Date(now.getTime() + 61_000) }), 'expired fails');
  const forged = parseToken(signToken(KEY, 'manage', 42).replace(/^42\./, '43.'))!;
  assert.ok(!verifyToken(KEY, 'manage', forged), 'changing the id breaks the signature');
  for (const bad of ['', '1.0', '1.0.short', 'a.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '99999999999.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) assert.equal(parseToken(bad), undefined, bad);
});

describeEachDatabase('subscriptions', (open) => {
  let db: Db;
  const ctx = () => ({ db: db.kysely, key: KEY });
  const outbox = () => db.kysely.selectFrom('mail_outbox').selectAll().orderBy('id').execute();
  const request = (email: string, client = '10.0.0.1') => ({ email, timeZone: 'Europe/Berlin', digest: true, digestSize: 7, alertQuery: 'graph learning', client });

  before(async () => {
    db = await open();
  });
  after(() => db.close());

  test('subscribing creates a pending subscriber and queues one confirmation mail, nothing else', async () => {
    assert.equal(await service.subscribe(ctx(), request('new@example.org')), 'accepted');
    const sub = (await findSubscriberByEmail(db.kysely, 'new@example.org'))!;
    assert.equal(sub.status, 'pending');
    assert.equal(sub.time_zone, 'Europe/Berlin');
    assert.equal(sub.digest_size, 7);
    assert.deepEqual(await listAlerts(db.kysely, sub.id), [], 'the alert waits for the confirmation');
    const mails = (await outbox()).filter((m) => m.subscriber_id === sub.id);
    assert.deepEqual(mails.map((m) => m.kind), ['confirm']);
    const payload = JSON.parse(mails[0].payload);
    assert.equal(payload.nonce, sub.confirm_nonce);
    assert.deepEqual(payload.choices, { timeZone: 'Europe/Berlin', digest: true, digestSize: 7, alertQuery: 'graph learning' });
  });

  test('a confirmation link works once, and not after it expires', async () => {
    const sub = (await findSubscriberByEmail(db.kysely, 'new@example.org'))!;
    const now = new Date();
    const token = confirmPath(KEY, sub.id, sub.confirm_nonce!, now).split('/').pop()!;
    const expired = confirmPath(KEY, sub.id, sub.confirm_nonce!, new Date(now.getTime() - 49 * 3600_000)).split('/').pop()!;
    assert.equal(await service.checkConfirmation(ctx(), { token: expired }), undefined, 'a 49-hour-old link has expired');
    assert.equal((await service.checkConfirmation(ctx(), { token }))?.sub.id, sub.id, 'looking does not use it');
    assert.equal((await service.confirm(ctx(), { token }))?.sub.status, 'active', 'a link without choices (mailed before they were carried) still works');
    assert.equal(await service.confirm(ctx(), { token }), undefined, 'the second use fails');
  });

  test('the same request for an active address answers the same, changes nothing and mails the owner instead', async () => {
    const before = (await findSubscriberByEmail(db.kysely, 'new@example.org'))!;
    // 21 minutes later: the one-mail-per-10-minutes window of the address has slid past the first mail.
    const later = new Date(Date.now() + 21 * 60_000);
    assert.equal(await service.subscribe(ctx(), { ...request('new@example.org', '10.0.0.2'), timeZone: 'UTC', digestSize: 3 }, later), 'accepted');
    const after = (await findSubscriberByEmail(db.kysely, 'new@example.org'))!;
    assert.deepEqual(after, before, 'an active subscription is not changed by the public form');
    assert.equal((await outbox()).filter((m) => m.subscriber_id === before.id).at(-1)!.kind, 'already-subscribed');
  });

  test('signed links find their subscriber; a tampered one finds nobody', async () => {
    const sub = (await findSubscriberByEmail(db.kysely, 'new@example.org'))!;
    const token = managePath(KEY, sub.id).split('/').pop()!;
    assert.equal((await service.subscriberForLink(ctx(), 'manage', token))?.id, sub.id);
    assert.equal(await service.subscriberForLink(ctx(), 'unsubscribe', token), undefined, 'a manage link does not unsubscribe');
    assert.equal(await service.subscriberForLink(ctx(), 'manage', token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')), undefined);
  });

  test('unsubscribing stops the queued mail; subscribing again needs a new confirmation', async () => {
    const sub = (await findSubscriberByEmail(db.kysely, 'new@example.org'))!;
    await db.kysely.updateTable('mail_outbox').set({ status: 'pending' }).where('subscriber_id', '=', sub.id).execute();
    await service.unsubscribe(ctx(), sub);
    assert.equal((await findSubscriberByEmail(db.kysely, 'new@example.org'))!.status, 'unsubscribed');
    assert.ok((await outbox()).filter((m) => m.subscriber_id === sub.id).every((m) => m.status === 'cancelled'));
    const later = new Date(Date.now() + 43 * 60_000);
    await service.subscribe(ctx(), request('new@example.org', '10.0.0.3'), later);
    const again = (await findSubscriberByEmail(db.kysely, 'new@example.org'))!;
    assert.equal(again.status, 'pending');
    assert.equal((await outbox()).filter((m) => m.subscriber_id === sub.id && m.status === 'pending').map((m) => m.kind).join(), 'confirm');
  });

  test('confirmation mails are rate limited per address, subscribe attempts per IP', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    for (let i = 0; i < 5; i++) await service.subscribe(ctx(), request('flood@example.org', `10.1.0.${i}`), now);
    const sub = (await findSubscriberByEmail(db.kysely, 'flood@example.org'))!;
    assert.equal((await outbox()).filter((m) => m.subscriber_id === sub.id).length, 1, 'five requests in a minute: one mail');
    for (let i = 0; i < service.LIMITS.subscribePerIp.max; i++) assert.equal(await service.subscribe(ctx(), request(`ip${i}@example.org`, '10.9.9.9'), now), 'accepted');
    assert.equal(await service.subscribe(ctx(), request('one-more@example.org', '10.9.9.9'), now), 'too-many');
    assert.equal(await findSubscriberByEmail(db.kysely, 'one-more@example.org'), undefined);
  });

  test("a stranger's request for a pending address changes nothing of it; its choices ride only in its own link", async () => {
    const t0 = new Date('2030-03-01T00:00:00Z');
    await service.subscribe(ctx(), { ...request('owner@example.org', '10.3.0.1'), alertQuery: 'protein folding' }, t0);
    const before = (await findSubscriberByEmail(db.kysely, 'owner@example.org'))!;
    // Past the confirmation-mail limit, so the stranger's request is mailed too.
    const t1 = new Date(t0.getTime() + 21 * 60_000);
    await service.subscribe(ctx(), { ...request('owner@example.org', '10.3.0.2'), timeZone: 'Asia/Tokyo', digest: false, digestSize: 50, alertQuery: 'buy cheap pills' }, t1);
    assert.deepEqual(await findSubscriberByEmail(db.kysely, 'owner@example.org'), before, 'preferences and nonce unchanged');
    assert.deepEqual(await listAlerts(db.kysely, before.id), [], 'no alert attached');
    const [mine, theirs] = (await outbox()).filter((m) => m.subscriber_id === before.id).map((m) => JSON.parse(m.payload));
    const myLink = linkParts(confirmPath(KEY, before.id, mine.nonce, t1, mine.choices));
    const theirLink = linkParts(confirmPath(KEY, before.id, theirs.nonce, t1, theirs.choices));
    assert.equal((await service.checkConfirmation(ctx(), theirLink, t1))?.choices?.alertQuery, 'buy cheap pills', "the owner would see the stranger's alert before accepting it");
    const forged = { ...myLink, with: theirLink.with };
    assert.equal(await service.checkConfirmation(ctx(), forged, t1), undefined, "another request's choices do not fit this link's signature");
    const done = (await service.confirm(ctx(), myLink, t1))!;
    assert.equal(done.alert, 'added');
    assert.equal(done.sub.status, 'active');
    assert.deepEqual((await listAlerts(db.kysely, before.id)).map((a) => a.query), ['protein folding']);
    assert.equal(await service.confirm(ctx(), theirLink, t1), undefined, 'one confirmation uses up every link of the address');
  });

  test('an alert asked for on the subscribe form counts against MAX_ALERTS', async () => {
    const t0 = new Date('2030-04-01T00:00:00Z');
    const sub = await service.addSubscriberDirectly(db.kysely, { email: 'full@example.org', confirmed: true, timeZone: 'UTC', digestSize: 5, alerts: [] }, t0);
    for (let i = 0; i < MAX_ALERTS; i++) await addAlert(db.kysely, sub.id, { query: `topic ${i}`, category: null, organization: null, author: null }, t0.toISOString());
    await service.unsubscribe(ctx(), sub, t0);
    await service.subscribe(ctx(), { ...request('full@example.org', '10.4.0.1'), alertQuery: 'one too many' }, t0);
    const payload = JSON.parse((await outbox()).filter((m) => m.subscriber_id === sub.id && m.kind === 'confirm').at(-1)!.payload);
    const pending = (await findSubscriberByEmail(db.kysely, 'full@example.org'))!;
    const done = (await service.confirm(ctx(), linkParts(confirmPath(KEY, sub.id, payload.nonce, t0, payload.choices)), t0))!;
    assert.equal(pending.status, 'pending');
    assert.equal(done.alert, 'too-many');
    assert.equal(done.sub.status, 'active');
    assert.equal((await listAlerts(db.kysely, sub.id)).length, MAX_ALERTS);
    const more = await service.addSubscriberDirectly(db.kysely, { email: 'full@example.org', confirmed: true, timeZone: 'UTC', digestSize: 5, alerts: [{ query: 'cli', category: null, organization: null, author: null }] }, t0);
    assert.equal((await listAlerts(db.kysely, more.id)).length, MAX_ALERTS, 'the CLI keeps the limit too');
  });

  test('the addresses of one IPv6 /64 share the per-IP limit; IPv4-mapped addresses count as IPv4', async () => {
    const now = new Date('2030-05-01T00:00:00Z');
    const max = service.LIMITS.subscribePerIp.max;
    for (let i = 0; i < max; i++) assert.equal(await service.subscribe(ctx(), request(`v6-${i}@example.org`, `2001:db8:0:7::${(i + 1).toString(16)}`), now), 'accepted');
    assert.equal(await service.subscribe(ctx(), request('v6-more@example.org', '2001:db8:0:7:ffff:1:2:3'), now), 'too-many');
    assert.equal(await service.subscribe(ctx(), request('v6-other@example.org', '2001:db8:0:8::1'), now), 'accepted', 'another /64 is another client');
    for (let i = 0; i < max; i++) await service.subscribe(ctx(), request(`v4-${i}@example.org`, '192.0.2.77'), now);
    assert.equal(await service.subscribe(ctx(), request('v4-more@example.org', '::ffff:192.0.2.77'), now), 'too-many');
  });

  test('rate limit windows count concurrent hits exactly', async () => {
    const limit = { max: 5, windowSeconds: 60 };
    const now = new Date('2030-02-01T00:00:00Z');
    const results = await Promise.all(Array.from({ length: 12 }, () => hitRateLimit(db.kysely, 'burst', limit, now)));
    assert.equal(results.filter(Boolean).length, 5);
    assert.ok(!(await hitRateLimit(db.kysely, 'burst', limit, new Date(now.getTime() + 60_000))), 'the window slides: the burst still counts a moment later');
    assert.ok(await hitRateLimit(db.kysely, 'burst', limit, new Date(now.getTime() + 120_000)), 'a window later the burst has passed');
  });

  test('a burst that straddles a window boundary is one burst, not two windows of allowance', async () => {
    const limit = { max: 5, windowSeconds: 60 };
    const late = new Date('2030-03-01T00:00:59Z');
    for (let i = 0; i < 5; i++) assert.ok(await hitRateLimit(db.kysely, 'straddle', limit, late));
    assert.equal(await hitRateLimit(db.kysely, 'straddle', limit, new Date('2030-03-01T00:01:01Z')), false, 'two seconds later, in the next fixed window');
    assert.ok(await hitRateLimit(db.kysely, 'straddle', limit, new Date('2030-03-01T00:02:30Z')), 'and allowed again once it has passed');
  });
});
