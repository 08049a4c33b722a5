/**
 * Delivery when rendering fails: a temporary failure with the usual backoff and attempt limit, never failed at
 * once. And a server slower than the lease: the lease is kept while the send is under way.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../test/databases.ts';
import { addFixturePapers, DAY1, mailTestConfig } from '../../test/mail-fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink.ts';
import type { Db } from '../db/database.ts';
import { addSubscriberDirectly } from '../subscriptions/subscriptions.service.ts';
import { MAX_ATTEMPTS, deliverDue } from './delivery.ts';
import { createMailer } from './mailer.ts';
import { enqueueMessages } from './outbox.repo.ts';

describeEachDatabase('delivery: render failures and slow servers', (open) => {
  let db: Db;
  let sink: SmtpSink;
  let subscriberId: number;
  const config = () => mailTestConfig({ smtpUrl: sink.url, retrySeconds: 60 });
  const deliverAt = async (at: Date) => {
    const mailer = createMailer(config().mail);
    try {
      return await deliverDue(db, config(), mailer, { now: () => at });
    } finally {
      mailer.close();
    }
  };
  const message = (key: string) => db.kysely.selectFrom('mail_outbox').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();

  before(async () => {
    db = await open();
    sink = await startSmtpSink();
    await addFixturePapers(db);
    subscriberId = (await addSubscriberDirectly(db.kysely, { email: 'reader@example.org', confirmed: true, timeZone: 'UTC', digestSize: 2, alerts: [] })).id;
  });
  after(async () => {
    await db.close();
    await sink.close();
  });

  test('a transient database error while rendering is retried, and the digest goes out once the database answers', async () => {
    const t0 = new Date(`${DAY1}T07:00:00Z`);
    await enqueueMessages(db.kysely, [{ key: 'test:transient', kind: 'digest', subscriberId, payload: { day: DAY1, alerts: [], top: [1, 2] }, dueAt: t0 }], t0);
    // The papers table is away for a moment (a restore, a migration on another instance): rendering cannot load the papers.
    await sql`ALTER TABLE papers RENAME TO papers_away`.execute(db.kysely);
    let first;
    try {
      first = await deliverAt(t0);
    } finally {
      await sql`ALTER TABLE papers_away RENAME TO papers`.execute(db.kysely);
    }
    assert.deepEqual([first.retried, first.failed, first.sent], [1, 0, 0]);
    const waiting = await message('test:transient');
    assert.equal(waiting.status, 'pending');
    assert.equal(waiting.due_at, new Date(t0.getTime() + 60_000).toISOString(), 'the usual backoff: 60 s after the first attempt');
    assert.match(waiting.last_error ?? '', /^render: /);
    assert.equal((await deliverAt(new Date(t0.getTime() + 59_000))).sent, 0, 'not before its backoff');
    assert.equal((await deliverAt(new Date(t0.getTime() + 60_000))).sent, 1);
    assert.equal((await message('test:transient')).status, 'sent');
    assert.equal(sink.received.filter((m) => m.to === 'reader@example.org').length, 1);
  });

  test('a message that never renders is given up only after the attempt limit', async () => {
    const t0 = new Date(`${DAY1}T12:00:00Z`);
    await enqueueMessages(db.kysely, [{ key: 'test:broken', kind: 'digest', subscriberId, payload: {}, dueAt: t0 }], t0);
    await db.kysely.updateTable('mail_outbox').set({ payload: '{"day": "2026-07-02", "top": [1' }).where('idempotency_key', '=', 'test:broken').execute();
    let at = t0;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const r = await deliverAt(at);
      assert.deepEqual([r.retried, r.failed], [1, 0], `attempt ${attempt} is retried`);
      at = new Date((await message('test:broken')).due_at);
    }
    const last = await deliverAt(at);
    assert.deepEqual([last.retried, last.failed], [0, 1], `attempt ${MAX_ATTEMPTS} is the last`);
    const row = await message('test:broken');
    assert.deepEqual([row.status, row.attempts], ['failed', MAX_ATTEMPTS]);
    assert.match(row.last_error ?? '', /^render: /);
  });

  test('a server slower than the lease: the lease is kept during the send, so another instance does not send it again', async () => {
    const slow = mailTestConfig({ smtpUrl: sink.url, leaseSeconds: 1 });
    const key = 'test:slow-server';
    const t0 = new Date();
    await enqueueMessages(db.kysely, [{ key, kind: 'digest', subscriberId, payload: { day: DAY1, alerts: [], top: [1, 2] }, dueAt: t0 }], t0);
    const before = sink.received.length;
    // The server takes 2.5 s to answer: past the 1 s lease of the instance that is sending.
    sink.setBeforeAccept(async () => {
      await new Promise((r) => setTimeout(r, 2500));
      return 'accept' as const;
    });
    const [a, b] = [createMailer(slow.mail), createMailer(slow.mail)];
    try {
      const first = deliverDue(db, slow, a);
      await new Promise((r) => setTimeout(r, 1600));
      const second = await deliverDue(db, slow, b);
      assert.equal(second.sent, 0, 'the other instance finds the message still leased');
      assert.equal((await first).sent, 1);
    } finally {
      sink.setBeforeAccept(undefined);
      a.close();
      b.close();
    }
    assert.equal(sink.received.length - before, 1, 'sent once');
    assert.equal((await message(key)).status, 'sent');
  });
});
