/**
 * A digest is decided when it is sent: the ranking, the alert matches and the text come from the papers and
 * votes known at the subscriber's digest hour, not from the moment the day's first paper arrived.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { addFixturePapers, DAY1, DAY2, mailTestConfig } from '../../test/mail-fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink.ts';
import type { Db } from '../db/database.ts';
import { deliverDue } from '../mail/delivery.ts';
import { createMailer } from '../mail/mailer.ts';
import { addRecords } from '../papers/papers.service.ts';
import { addSubscriberDirectly } from '../subscriptions/subscriptions.service.ts';
import { CANCEL_REASONS } from './compose.ts';
import { recordReceived } from './digest.repo.ts';
import { prepareDigests } from './prepare.ts';

const noFilters = { category: null, organization: null, author: null };

describeEachDatabase('digest decided when sent', (open) => {
  let db: Db;
  let sink: SmtpSink;
  const config = () => mailTestConfig({ smtpUrl: sink.url });
  const at = (time: string) => new Date(time.includes('T') ? time : `${DAY1}T${time}Z`);
  const deliverAt = async (time: string) => {
    const mailer = createMailer(config().mail);
    try {
      return await deliverDue(db, config(), mailer, { now: () => at(time) });
    } finally {
      mailer.close();
    }
  };
  const mailTo = (email: string) => {
    const mails = sink.received.filter((m) => m.to === email);
    assert.equal(mails.length, 1, `one mail to ${email}`);
    return mails[0];
  };
  /** The paper titles of a plain-text section, in order. */
  const section = (text: string, heading: string) => {
    const start = text.indexOf(`${heading}\n`);
    assert.ok(start >= 0, `section ${heading} in:\n${text}`);
    const body = text.slice(start + heading.length + 1).split(/\n\n(?=[A-Z]{2,}|All papers)/)[0];
    return [...body.matchAll(/^(?:\*|\d+\.) (.+)$/gm)].map((m) => m[1]);
  };

  before(async () => {
    db = await open();
    sink = await startSmtpSink();
    await addFixturePapers(db);
    await addSubscriberDirectly(db.kysely, { email: 'utc@example.org', confirmed: true, timeZone: 'UTC', digestSize: 3, alerts: [] }, at('00:10:00'));
    await addSubscriberDirectly(db.kysely, { email: 'ny@example.org', confirmed: true, timeZone: 'America/New_York', digestSize: 2, alerts: [{ query: 'diffusion models', ...noFilters }] }, at('00:10:00'));
  });
  after(async () => {
    await db.close();
    await sink.close();
  });

  test('a paper imported and votes cast after the day was prepared are in the digests sent at 07:00, also for a subscriber added later', async () => {
    // The day's first papers arrive shortly after midnight, and the scheduler prepares the day then.
    const first = await prepareDigests(db, config().digest, DAY1, { now: at('00:30:00') });
    assert.equal(first.messages, 2);

    // 06:50: a paper with 300 upvotes is imported; Paper 12 gets votes (hotness pinned to upvotes, as in the fixtures).
    await addRecords(db, [
      { source: 'hf-daily', arxivId: '2607.09999', title: 'A breakthrough imported at 06:50', abstract: 'Late but loved.', authors: ['Late Author'], categories: ['cs.LG'], announcedOn: DAY1, upvotes: 300 },
    ]);
    await db.kysely.updateTable('papers').set({ upvotes: 200 }).where('arxiv_id', '=', '2607.00012').execute();
    await db.kysely.updateTable('papers').set((eb) => ({ hotness: eb.ref('upvotes') })).execute();
    // 06:55: somebody subscribes; the scheduler's next tick gives them the day's digest too.
    await addSubscriberDirectly(db.kysely, { email: 'late@example.org', confirmed: true, timeZone: 'UTC', digestSize: 3, alerts: [] }, at('06:55:00'));
    assert.equal((await prepareDigests(db, config().digest, DAY1, { now: at('06:55:00') })).messages, 1);

    const r = await deliverAt('07:00:00');
    assert.equal(r.sent, 2);
    const expected = ['A breakthrough imported at 06:50', 'Paper 12 on graph learning', 'Paper 1 on graph learning'];
    assert.deepEqual(section(mailTo('utc@example.org').text, 'TRENDING PAPERS'), expected);
    assert.deepEqual(section(mailTo('late@example.org').text, 'TRENDING PAPERS'), expected);
  });

  test('a title changed after preparation is matched and shown with its new text in the digest sent later', async () => {
    // 09:00 UTC: a new arXiv version renames Paper 4; New York's digest (11:00 UTC) is not sent yet.
    await addRecords(db, [
      { source: 'arxiv-atom', arxivId: '2607.00004v2', title: 'Diffusion models for graph generation', abstract: 'Version 2: we now use diffusion models.', authors: ['Author 4', 'Grace Hopper'], categories: ['cs.LG'], announcedOn: DAY1, updatedAt: `${DAY1}T09:00:00Z` },
    ]);
    await db.kysely.updateTable('papers').set((eb) => ({ hotness: eb.ref('upvotes') })).execute();
    assert.equal((await deliverAt('11:00:00')).sent, 1);
    const text = mailTo('ny@example.org').text;
    assert.deepEqual(section(text, 'ALERT: “diffusion models”'), ['Diffusion models for protein design 3', 'Diffusion models for graph generation']);
    assert.doesNotMatch(text, /Paper 4 on graph learning/);
    assert.deepEqual(section(text, 'TRENDING PAPERS'), ['A breakthrough imported at 06:50', 'Paper 12 on graph learning'], 'the ranking as known at 11:00');
  });

  test('two days due at once are composed oldest first, and never share a paper', async () => {
    const both = await addSubscriberDirectly(db.kysely, { email: 'both@example.org', confirmed: true, timeZone: 'UTC', digestSize: 3, alerts: [] }, at('12:00:00'));
    await prepareDigests(db, config().digest, DAY1, { now: at('12:00:00') });
    await prepareDigests(db, config().digest, DAY2, { now: at(`${DAY2}T00:30:00Z`) });
    const r = await deliverAt(`${DAY2}T07:00:00Z`);
    assert.equal(r.sent, 4, 'both days for the new subscriber, the second day for utc@ and late@');
    const tops = await db.kysely.selectFrom('mail_outbox').select(['idempotency_key', 'payload']).where('subscriber_id', '=', both.id).orderBy('idempotency_key').execute();
    const [first, second] = tops.map((t) => JSON.parse(t.payload).top as number[]);
    assert.equal(first.length, 3);
    assert.equal(second.length, 3);
    assert.deepEqual(second.filter((id) => first.includes(id)), [], 'the windows overlap, the digests do not');
  });

  test('a digest not composed within three days of its hour is stale news: cancelled, not sent', async () => {
    const r = await deliverAt('2026-07-07T12:00:00Z');
    assert.deepEqual([r.sent, r.cancelled], [0, 1], "New York's digest of the second day");
    const row = await db.kysely.selectFrom('mail_outbox').select(['status', 'last_error']).where('idempotency_key', 'like', `digest:%:${DAY2}`).where('status', '<>', 'sent').executeTakeFirstOrThrow();
    assert.deepEqual([row.status, row.last_error], ['cancelled', CANCEL_REASONS.stale]);
  });

  test('recording received papers returns only the pairs that were new: the key decides between two digests', async () => {
    const sub = (await db.kysely.selectFrom('subscribers').select('id').where('email', '=', 'both@example.org').executeTakeFirstOrThrow()).id;
    const paper = (await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', '2607.09999').executeTakeFirstOrThrow()).id;
    const other = (await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', '2607.00011').executeTakeFirstOrThrow()).id;
    assert.deepEqual(await recordReceived(db.kysely, [{ subscriber_id: sub, paper_id: other, day: DAY2 }, { subscriber_id: sub, paper_id: paper, day: DAY2 }]), [{ subscriber_id: sub, paper_id: other }], 'the breakthrough went out with their first digest');
  });
});
