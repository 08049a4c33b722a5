import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { addFixturePapers, DAY1, DAY2, mailTestConfig } from '../../test/mail-fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink.ts';
import type { Db } from '../db/database.ts';
import { backoffSeconds, deliverDue } from '../mail/delivery.ts';
import { createMailer } from '../mail/mailer.ts';
import { enqueueMessages } from '../mail/outbox.repo.ts';
import { findSubscriberByEmail } from '../subscriptions/subscriptions.repo.ts';
import { addSubscriberDirectly } from '../subscriptions/subscriptions.service.ts';
import { CANCEL_REASONS, type DigestPayload } from './compose.ts';
import { claimRun } from './digest.repo.ts';
import { prepareDigests } from './prepare.ts';

const noAlerts = { alerts: [] };
const alert = (fields: Partial<Record<'query' | 'category' | 'organization' | 'author', string>>) => ({ query: null, category: null, organization: null, author: null, ...fields });

describeEachDatabase('digest', (open) => {
  let db: Db;
  let sink: SmtpSink;
  const config = () => mailTestConfig({ smtpUrl: sink.url, bounceLimit: 2 });
  const titles = async (ids: number[]) => {
    const rows = await db.kysely.selectFrom('papers').select(['id', 'title', 'upvotes']).where('id', 'in', ids.length ? ids : [0]).execute();
    return ids.map((id) => rows.find((r) => r.id === id)!.title);
  };
  const deliverAt = async (at: string) => {
    const mailer = createMailer(config().mail);
    try {
      return await deliverDue(db, config(), mailer, { now: () => new Date(at) });
    } finally {
      mailer.close();
    }
  };
  const payloadOf = async (email: string, day: string) => {
    const sub = (await findSubscriberByEmail(db.kysely, email))!;
    const row = await db.kysely.selectFrom('mail_outbox').selectAll().where('idempotency_key', '=', `digest:${sub.id}:${day}`).executeTakeFirst();
    return row && { ...row, digest: JSON.parse(row.payload) as DigestPayload };
  };

  before(async () => {
    db = await open();
    sink = await startSmtpSink();
    await addFixturePapers(db);
    const add = (email: string, timeZone: string, digestSize: number, alerts: ReturnType<typeof alert>[], confirmed = true) =>
      addSubscriberDirectly(db.kysely, { email, confirmed, timeZone, digestSize, alerts });
    await add('utc@example.org', 'UTC', 3, noAlerts.alerts);
    await add('ny@example.org', 'America/New_York', 2, [alert({ query: 'diffusion models' }), alert({ category: 'cs.LG', author: 'Ada Lovelace' }), alert({ organization: 'example-lab' })]);
    await add('quiet@example.org', 'UTC', 3, [alert({ query: 'no such words anywhere' })]);
    await db.kysely.updateTable('subscribers').set({ digest_enabled: 0 }).where('email', '=', 'quiet@example.org').execute();
    await add('pending@example.org', 'UTC', 3, [], false);
  });
  after(async () => {
    await db.close();
    await sink.close();
  });

  test('queues one digest per active subscriber who wants one, due at 07:00 local time', async () => {
    const r = await prepareDigests(db, config().digest, DAY1);
    assert.equal(r.skipped, undefined);
    assert.equal(r.subscribers, 3, 'the pending subscriber is not prepared');
    assert.equal(r.messages, 3, 'the subscriber whose digest is off still has an alert');
    const utc = (await payloadOf('utc@example.org', DAY1))!;
    assert.deepEqual(utc.digest, { day: DAY1 }, 'composed when it is sent');
    assert.equal(utc.due_at, `${DAY1}T07:00:00.000Z`);
    const ny = (await payloadOf('ny@example.org', DAY1))!;
    assert.equal(ny.due_at, `${DAY1}T11:00:00.000Z`, '07:00 in New York (EDT) is 11:00 UTC');
    assert.equal((await prepareDigests(db, config().digest, DAY1)).messages, 0, 'a second run prepares nothing again');
  });

  test('composes each digest as it is sent: hottest first, alerts grouped, nothing empty sent', async () => {
    assert.equal((await deliverAt(`${DAY1}T06:59:00Z`)).composed, 0, 'nothing is due before 07:00 UTC');
    const seven = await deliverAt(`${DAY1}T07:00:00Z`);
    assert.deepEqual([seven.sent, seven.composed, seven.empty], [1, 1, 1]);
    const utc = (await payloadOf('utc@example.org', DAY1))!;
    assert.deepEqual(await titles(utc.digest.top), ['Paper 1 on graph learning', 'Paper 2 on graph learning', 'Diffusion models for protein design 3']);
    const quiet = (await payloadOf('quiet@example.org', DAY1))!;
    assert.deepEqual([quiet.status, quiet.last_error], ['cancelled', CANCEL_REASONS.empty], 'digest off and alerts that match nothing: no mail');
    assert.equal((await deliverAt(`${DAY1}T11:00:00Z`)).sent, 1);
    const ny = (await payloadOf('ny@example.org', DAY1))!;
    assert.deepEqual(ny.digest.alerts.map((a) => a.label), ['“diffusion models”', 'from example-lab'], 'the author alert matches nothing in cs.LG');
    assert.deepEqual(await titles(ny.digest.alerts[0].ids), ['Diffusion models for protein design 3']);
    assert.deepEqual(await titles(ny.digest.top), ['Paper 1 on graph learning', 'Paper 2 on graph learning'], 'alert matches are not repeated in the top list');
  });

  test('the next day never sends a paper again, though the window still holds it', async () => {
    await prepareDigests(db, config().digest, DAY2);
    assert.equal((await deliverAt(`${DAY2}T07:00:00Z`)).sent, 1);
    const first = (await payloadOf('utc@example.org', DAY1))!.digest.top;
    const second = (await payloadOf('utc@example.org', DAY2))!.digest.top;
    assert.equal(second.length, 3);
    assert.deepEqual(second.filter((id) => first.includes(id)), []);
    assert.deepEqual(await titles(second), ['Paper 101 on graph learning', 'Paper 102 on graph learning', 'Diffusion models for protein design 103']);
  });

  test('weekends and days without papers send nothing; a late subscriber still gets the prepared day', async () => {
    assert.equal((await prepareDigests(db, config().digest, '2026-07-04')).skipped, 'weekend');
    assert.equal((await prepareDigests(db, { ...config().digest, skipWeekends: false }, '2026-07-04')).skipped, 'no papers');
    await addSubscriberDirectly(db.kysely, { email: 'late@example.org', confirmed: true, timeZone: 'Asia/Tokyo', digestSize: 1, alerts: [] });
    const r = await prepareDigests(db, config().digest, DAY2);
    assert.deepEqual([r.subscribers, r.messages], [1, 1]);
    assert.equal((await payloadOf('late@example.org', DAY2))!.due_at, '2026-07-02T22:00:00.000Z', '07:00 in Tokyo is 22:00 UTC the day before');
  });

  test('a day whose lease another process holds is left to it', async () => {
    await prepareDigests(db, config().digest, DAY2);
    const token = await claimRun(db.kysely, DAY2, 60, new Date());
    assert.ok(token);
    assert.equal((await prepareDigests(db, config().digest, DAY2)).skipped, 'busy');
    assert.equal(await claimRun(db.kysely, DAY2, 60, new Date(Date.now() + 61_000)) !== undefined, true, 'an expired lease can be taken over');
  });

  test('delivery sends what is due, each once, to the SMTP server', async () => {
    assert.equal((await deliverAt(`${DAY2}T23:00:00Z`)).sent, 2, 'New York and Tokyo of the second day');
    assert.equal((await deliverAt(`${DAY2}T23:00:00Z`)).sent, 0);
    const to = sink.received.map((m) => m.to).sort();
    assert.deepEqual(to, ['late@example.org', 'ny@example.org', 'ny@example.org', 'utc@example.org', 'utc@example.org']);
    assert.equal(new Set(sink.received.map((m) => m.messageId)).size, 5);
  });

  test('a temporary failure (4xx) is retried with growing delays until it passes', async () => {
    const sub = await addSubscriberDirectly(db.kysely, { email: 'flaky@example.org', confirmed: true, timeZone: 'UTC', digestSize: 2, alerts: [] });
    sink.setRule((address, attempt) => (address === 'flaky@example.org' && attempt <= 2 ? { code: 451, message: 'try again later' } : 'accept'));
    const t0 = new Date('2026-07-03T12:00:00Z');
    await enqueueMessages(db.kysely, [{ key: `digest:${sub.id}:${DAY2}`, kind: 'digest', subscriberId: sub.id, payload: { day: DAY2, alerts: [], top: [1, 2] }, dueAt: t0 }], t0);
    const mailer = createMailer(config().mail);
    const at = (seconds: number) => deliverDue(db, config(), mailer, { now: () => new Date(t0.getTime() + seconds * 1000) });
    try {
      assert.equal((await at(0)).retried, 1);
      assert.equal((await at(59)).retried + (await at(59)).sent, 0, 'not before the first delay (60 s)');
      assert.equal((await at(61)).retried, 1, 'second attempt fails too; the next waits 4 × 60 s');
      assert.equal((await at(61 + 239)).sent, 0);
      assert.equal((await at(61 + 241)).sent, 1);
    } finally {
      mailer.close();
      sink.setRule(() => 'accept');
    }
    assert.equal(sink.received.filter((m) => m.to === 'flaky@example.org').length, 1);
    assert.deepEqual([backoffSeconds(60, 1), backoffSeconds(60, 3), backoffSeconds(60, 20)], [60, 960, 6 * 3600]);
  });

  test('permanent failures (5xx) count against the address and stop its mail at the limit', async () => {
    const sub = await addSubscriberDirectly(db.kysely, { email: 'gone@example.org', confirmed: true, timeZone: 'UTC', digestSize: 2, alerts: [] });
    sink.setRule((address) => (address === 'gone@example.org' ? { code: 550, message: 'no such mailbox' } : 'accept'));
    const now = new Date('2026-07-05T12:00:00Z');
    const message = (n: number) => ({ key: `test:${sub.id}:${n}`, kind: 'digest' as const, subscriberId: sub.id, payload: { day: DAY2, alerts: [], top: [n] }, dueAt: now });
    const mailer = createMailer(config().mail);
    try {
      await enqueueMessages(db.kysely, [message(1)], now);
      assert.equal((await deliverDue(db, config(), mailer, { now: () => now })).failed, 1);
      assert.equal((await findSubscriberByEmail(db.kysely, 'gone@example.org'))!.status, 'active', 'one refusal is not yet the limit (2)');
      await enqueueMessages(db.kysely, [message(2)], now);
      const r = await deliverDue(db, config(), mailer, { now: () => now });
      assert.deepEqual([r.failed, r.bounced], [1, 1]);
      assert.equal((await findSubscriberByEmail(db.kysely, 'gone@example.org'))!.status, 'bounced');
      await enqueueMessages(db.kysely, [message(3)], now);
      assert.equal((await deliverDue(db, config(), mailer, { now: () => now })).cancelled, 1, 'nothing more is sent to the address');
    } finally {
      mailer.close();
      sink.setRule(() => 'accept');
    }
  });

  test('an unreachable SMTP server is a temporary failure', async () => {
    const sub = (await findSubscriberByEmail(db.kysely, 'utc@example.org'))!;
    const now = new Date('2026-07-06T12:00:00Z');
    await enqueueMessages(db.kysely, [{ key: `test:unreachable`, kind: 'digest', subscriberId: sub.id, payload: { day: DAY2, alerts: [], top: [1] }, dueAt: now }], now);
    const closed = await startSmtpSink();
    await closed.close();
    const mailer = createMailer({ ...config().mail, smtpUrl: closed.url });
    try {
      const r = await deliverDue(db, config(), mailer, { now: () => now });
      assert.deepEqual([r.retried, r.failed], [1, 0]);
    } finally {
      mailer.close();
    }
  });
});
