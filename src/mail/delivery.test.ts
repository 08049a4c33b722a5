/** Delivery when rendering fails: a temporary failure with the usual backoff and attempt limit, never failed at once. */
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

describeEachDatabase('delivery when rendering fails', (open) => {
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
});
