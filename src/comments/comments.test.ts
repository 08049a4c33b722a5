import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser } from '../../test/accounts-fixtures.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { addFixturePapers, mailTestConfig } from '../../test/mail-fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink.ts';
import { setStatus } from '../accounts/accounts.service.ts';
import { ownedBy, type User } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import { deliverDue } from '../mail/delivery.ts';
import { createMailer } from '../mail/mailer.ts';
import * as comments from './comments.service.ts';

describeEachDatabase('comments: threads, Markdown, edits, deletes, rate limits and reply mails', (open) => {
  let db: Db;
  let sink: SmtpSink;
  let ada: User;
  let bob: User;
  let paper: number;
  let otherPaper: number;
  let minute = 0;
  /** A new minute for each test, so rate limits of one test never reach the next. */
  const clock = () => new Date(Date.UTC(2026, 6, 6, 10, minute++, 0));

  before(async () => {
    db = await open();
    sink = await startSmtpSink();
    await addFixturePapers(db);
    ada = await addTestUser(db, 'ada@example.org');
    bob = await addTestUser(db, 'bob@example.org');
    [paper, otherPaper] = (await db.kysely.selectFrom('papers').select('id').orderBy('id').limit(2).execute()).map((r) => r.id);
  });
  after(async () => {
    await sink.close();
    await db.close();
  });

  const post = async (user: User, input: { paperId: number; parentId?: number; body: string }, now = clock()) => {
    const made = await comments.postComment(db, user, input, now);
    assert.ok(typeof made === 'object', `posted: ${String(made)}`);
    return made;
  };
  const own = async (user: User, id: number) => {
    const owned = ownedBy(user, await comments.findComment(db, id));
    assert.ok(owned);
    return owned;
  };

  test('the HTML is made once, when the comment is written or edited; reading a thread typesets nothing', async () => {
    const made = await post(ada, { paperId: otherPaper, body: 'Stored $x^2$' });
    const row = await comments.findComment(db, made.id);
    assert.match(row?.html ?? '', /class="katex"/);
    assert.equal(row?.html_math, 1);
    // What a reader gets is what was stored: a marker put in its place shows, the Markdown is not rendered again.
    await db.kysely.updateTable('comments').set({ html: '<p>stored marker</p>', html_math: 0 }).where('id', '=', made.id).execute();
    const shown = (await comments.threadOf(db, otherPaper)).comments.find((c) => c.id === made.id);
    assert.equal(shown?.html, '<p>stored marker</p>');
    // A row from an older renderer (or from before migration 0015) is rendered when shown.
    await db.kysely.updateTable('comments').set({ html_version: 0 }).where('id', '=', made.id).execute();
    const again = (await comments.threadOf(db, otherPaper)).comments.find((c) => c.id === made.id);
    assert.match(again?.html ?? '', /class="katex"/);
    assert.equal(await comments.editComment(db, await own(ada, made.id), 'Now *plain*', clock()), 'ok');
    assert.equal((await comments.findComment(db, made.id))?.html, '<p>Now <em>plain</em></p>\n');
    await comments.deleteComment(db, await own(ada, made.id));
    assert.equal((await comments.findComment(db, made.id))?.html, null, 'a deleted comment keeps no HTML either');
  });

  test('a comment and its replies form a thread, oldest first, with Markdown and math rendered', async () => {
    const now = clock();
    const top = await post(ada, { paperId: paper, body: 'Is $O(n^2)$ **tight**?' }, now);
    const reply = await post(bob, { paperId: paper, parentId: top.id, body: 'Yes, see *section 4*.' }, now);
    await post(ada, { paperId: paper, parentId: reply.id, body: 'Thanks!' }, now);
    const thread = await comments.threadOf(db, paper);
    assert.equal(thread.comments.length, 1);
    const [first] = thread.comments;
    assert.equal(first.author.name, 'ada');
    assert.match(first.html!, /<strong>tight<\/strong>/);
    assert.match(first.html!, /class="katex"/);
    assert.equal(thread.math, true);
    assert.equal(first.replies[0].author.name, 'bob');
    assert.equal(first.replies[0].replies[0].body, 'Thanks!');
    assert.equal(thread.count, 3);
  });

  test('a reply must answer a comment of the same paper; the body is checked', async () => {
    const top = await post(ada, { paperId: paper, body: 'Top' });
    assert.equal(await comments.postComment(db, bob, { paperId: otherPaper, parentId: top.id, body: 'Wrong paper' }, clock()), 'no-parent');
    assert.equal(await comments.postComment(db, bob, { paperId: paper, parentId: 999_999, body: 'Nobody' }, clock()), 'no-parent');
  });

  test('edit and delete one\'s own: an edit is marked, a deleted comment keeps its replies and loses its text', async () => {
    const top = await post(ada, { paperId: otherPaper, body: 'First version' });
    const reply = await post(bob, { paperId: otherPaper, parentId: top.id, body: 'A reply' });
    const leaf = await post(ada, { paperId: otherPaper, body: 'Soon gone' });
    assert.equal(await comments.editComment(db, await own(ada, top.id), 'Second version', clock()), 'ok');
    await comments.deleteComment(db, await own(ada, top.id), clock());
    await comments.deleteComment(db, await own(ada, leaf.id), clock());
    const stored = await comments.findComment(db, top.id);
    assert.equal(stored?.body, '', 'the text is erased at once');
    const thread = await comments.threadOf(db, otherPaper);
    assert.deepEqual(
      thread.comments.map((c) => [c.id, c.state, c.html]),
      [[top.id, 'deleted', undefined]],
      'the deleted comment with a reply stays as a placeholder; the deleted leaf is gone',
    );
    assert.equal(thread.comments[0].replies[0].id, reply.id);
    assert.equal(await comments.editComment(db, await own(ada, top.id), 'Back from the dead', clock()), 'deleted');
  });

  test('commenting is rate limited per account: five a minute', async () => {
    const carol = await addTestUser(db, 'carol@example.org');
    const now = clock();
    for (let i = 0; i < comments.COMMENT_LIMITS.perMinute.max; i++) await post(carol, { paperId: paper, body: `Comment ${i}` }, now);
    assert.equal(await comments.postComment(db, carol, { paperId: paper, body: 'One too many' }, now), 'rate-limited');
    assert.equal(await comments.postComment(db, bob, { paperId: paper, body: 'Another account is not limited' }, now) !== 'rate-limited', true);
    assert.notEqual(await comments.postComment(db, carol, { paperId: paper, body: 'Two minutes later' }, new Date(now.getTime() + 120_000)), 'rate-limited', 'once the minute has slid past');
  });

  test('hidden comments and the comments of suspended accounts show to nobody', async () => {
    const spammer = await addTestUser(db, 'spam@example.org');
    const spam = await post(spammer, { paperId: paper, body: 'Buy now' });
    const hidden = await post(bob, { paperId: paper, body: 'Rude' });
    await comments.setHidden(db, hidden.id, true, ada.id, clock());
    await setStatus({ db: db.kysely, accounts: { registration: 'open', allowedEmailDomains: [] } }, ada.id, spammer, 'suspended');
    const thread = await comments.threadOf(db, paper);
    const byId = new Map(thread.comments.map((c) => [c.id, c]));
    assert.equal(byId.has(spam.id), false, 'a suspended account\'s comment without replies is left out');
    assert.equal(byId.has(hidden.id), false, 'so is a hidden one');
    for (const c of thread.comments) assert.doesNotMatch(c.html ?? '', /Buy now|Rude/);
  });

  test('a reply mails the parent\'s author over SMTP (not for answering oneself; not when opted out)', async () => {
    const config = mailTestConfig({ smtpUrl: sink.url });
    const deliver = async () => {
      const mailer = createMailer(config.mail);
      try {
        await deliverDue(db, config, mailer, { now: () => new Date(Date.UTC(2026, 6, 6, 23, 0, 0)) });
      } finally {
        mailer.close();
      }
    };
    const dave = await addTestUser(db, 'dave@example.org');
    const erin = await addTestUser(db, 'erin@example.org');
    const top = await post(dave, { paperId: paper, body: 'What about $\\epsilon$?' });
    await post(dave, { paperId: paper, parentId: top.id, body: 'Answering myself' });
    await post(erin, { paperId: paper, parentId: top.id, body: 'Good point, **dave**.' });
    const before = sink.received.length;
    await deliver();
    // Earlier tests' replies (bob to ada, …) go out in this pass too.
    const mails = sink.received.slice(before).filter((m) => m.to === 'dave@example.org');
    assert.equal(mails.length, 1, 'one mail: the self-reply sends none');
    assert.equal(mails[0].to, 'dave@example.org');
    assert.match(mails[0].subject, /erin replied to your comment/);
    assert.match(mails[0].text, /Good point, \*\*dave\*\*\./);
    assert.match(mails[0].text, /https:\/\/papers\.example\.org\/papers\/2607\.00001#comment-\d+/);
    assert.match(mails[0].text, /https:\/\/papers\.example\.org\/account\/comments/);

    await comments.setReplyMails(db, dave, false);
    assert.equal(await comments.replyMailsWanted(db, dave.id), false);
    await post(erin, { paperId: paper, parentId: top.id, body: 'Another one' });
    const seen = sink.received.length;
    await deliver();
    assert.equal(sink.received.length, seen, 'no mail after opting out');
  });
});
