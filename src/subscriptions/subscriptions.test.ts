import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { hitRateLimit } from './rate-limits.ts';
import { findSubscriberByEmail, listAlerts } from './subscriptions.repo.ts';
import * as service from './subscriptions.service.ts';
import { confirmPath, managePath } from './links.ts';
import { parseToken, signToken, verifyToken } from './tokens.ts';

const KEY = 'k'.repeat(64);

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
    assert.deepEqual((await listAlerts(db.kysely, sub.id)).map((a) => a.query), ['graph learning']);
    const mails = (await outbox()).filter((m) => m.subscriber_id === sub.id);
    assert.deepEqual(mails.map((m) => m.kind), ['confirm']);
    assert.equal(JSON.parse(mails[0].payload).nonce, sub.confirm_nonce);
  });

  test('a confirmation link works once, and not after it expires', async () => {
    const sub = (await findSubscriberByEmail(db.kysely, 'new@example.org'))!;
    const now = new Date();
    const token = confirmPath(KEY, sub.id, sub.confirm_nonce!, now).split('/').pop()!;
    const expired = confirmPath(KEY, sub.id, sub.confirm_nonce!, new Date(now.getTime() - 49 * 3600_000)).split('/').pop()!;
    assert.equal(await service.checkConfirmation(ctx(), expired), undefined, 'a 49-hour-old link has expired');
    assert.equal((await service.checkConfirmation(ctx(), token))?.id, sub.id, 'looking does not use it');
    assert.equal((await service.confirm(ctx(), token))?.status, 'active');
    assert.equal(await service.confirm(ctx(), token), undefined, 'the second use fails');
  });

  test('the same request for an active address answers the same, changes nothing and mails the owner instead', async () => {
    const before = (await findSubscriberByEmail(db.kysely, 'new@example.org'))!;
    // 11 minutes later, past the one-mail-per-10-minutes limit of the address.
    const later = new Date(Date.now() + 11 * 60_000);
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
    const later = new Date(Date.now() + 22 * 60_000);
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

  test('rate limit windows count concurrent hits exactly', async () => {
    const limit = { max: 5, windowSeconds: 60 };
    const now = new Date('2030-02-01T00:00:00Z');
    const results = await Promise.all(Array.from({ length: 12 }, () => hitRateLimit(db.kysely, 'burst', limit, now)));
    assert.equal(results.filter(Boolean).length, 5);
    assert.ok(await hitRateLimit(db.kysely, 'burst', limit, new Date(now.getTime() + 60_000)), 'a new window starts afresh');
  });
});
