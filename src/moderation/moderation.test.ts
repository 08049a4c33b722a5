import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser } from '../../test/accounts-fixtures.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { addFixturePapers } from '../../test/mail-fixtures.ts';
import { findUser } from '../accounts/accounts.service.ts';
import type { User } from '../accounts/user.ts';
import * as comments from '../comments/comments.service.ts';
import type { Db } from '../db/database.ts';
import * as moderation from './moderation.service.ts';

describeEachDatabase('moderation: hiding comments, suspending their authors, the audit log', (open) => {
  let db: Db;
  let admin: User;
  let member: User;
  let paper: number;
  const accounts = { registration: 'open' as const, allowedEmailDomains: [] };

  before(async () => {
    db = await open();
    await addFixturePapers(db);
    admin = await addTestUser(db, 'admin@example.org', 'admin');
    member = await addTestUser(db, 'member@example.org');
    paper = (await db.kysely.selectFrom('papers').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  });
  after(() => db.close());

  let minute = 0;
  // Each comment 61 minutes after the last: no rate limit (per minute, per day) is reached.
  const post = async (user: User, body: string) => {
    const made = await comments.postComment(db, user, { paperId: paper, body }, new Date(Date.UTC(2026, 0, 1, 0, (minute++) * 61)));
    assert.ok(typeof made === 'object');
    return made;
  };

  test('hiding and showing a comment again are recorded with who did it; doing it twice records once', async () => {
    const c = await post(member, 'Off topic');
    assert.equal(await moderation.hideComment(db, admin, c.id, 'hide'), 'ok');
    assert.equal(await moderation.hideComment(db, admin, c.id, 'hide'), 'unchanged');
    assert.equal((await comments.findComment(db, c.id))?.hidden_by, admin.id);
    assert.equal(await moderation.hideComment(db, null, c.id, 'unhide'), 'ok');
    assert.equal(await moderation.hideComment(db, admin, 999_999, 'hide'), 'not-found');
    const log = await moderation.auditPage(db, 1);
    const mine = log.entries.filter((e) => e.targetType === 'comment' && e.targetId === c.id);
    assert.deepEqual(
      mine.map((e) => [e.action, e.actor]),
      [
        ['comment.unhide', null],
        ['comment.hide', 'admin@example.org'],
      ],
      'newest first; the admin token acts as nobody in particular',
    );
    assert.deepEqual(mine[1].detail, { paperId: paper, authorId: member.id });
  });

  test('suspending a comment\'s author (audited as user.suspend) hides all their comments', async () => {
    const troll = await addTestUser(db, 'troll@example.org');
    await post(troll, 'First troll');
    const second = await post(troll, 'Second troll');
    assert.equal(await moderation.suspendAuthor(db, accounts, admin, second.id), 'ok');
    assert.equal((await findUser(db.kysely, troll.id))?.status, 'suspended');
    const thread = await comments.threadOf(db, paper);
    assert.ok(!JSON.stringify(thread).includes('troll'), 'no comment of the suspended account is shown');
    const [latest] = (await moderation.auditPage(db, 1)).entries;
    assert.deepEqual([latest.action, latest.targetType, latest.targetId, latest.actor], ['user.suspend', 'user', troll.id, 'admin@example.org']);
    assert.equal(await moderation.suspendAuthor(db, accounts, admin, 999_999), 'not-found');
  });

  test('the last active admin cannot be suspended through one of their comments', async () => {
    const c = await post(admin, 'An admin writes');
    assert.equal(await moderation.suspendAuthor(db, accounts, admin, c.id), 'last-admin');
  });

  test('the audit log is paginated, newest first', async () => {
    for (let i = 0; i < moderation.AUDIT_PAGE + 5; i++) {
      const c = await post(member, `Comment ${i}`);
      await moderation.hideComment(db, admin, c.id, 'hide');
    }
    const first = await moderation.auditPage(db, 1);
    const second = await moderation.auditPage(db, 2);
    assert.equal(first.entries.length, moderation.AUDIT_PAGE);
    assert.ok(second.entries.length >= 5);
    assert.ok(first.pageCount >= 2);
    assert.ok(first.entries[0].id > first.entries.at(-1)!.id);
    assert.ok(first.entries.at(-1)!.id > second.entries[0].id);
  });

  test('the moderators\' list shows the newest comments, hidden ones marked', async () => {
    const c = await post(member, 'To be seen by moderators');
    await moderation.hideComment(db, admin, c.id, 'hide');
    const page = await moderation.recentCommentsPage(db, 1);
    const row = page.comments.find((r) => r.id === c.id);
    assert.equal(row?.state, 'hidden');
    assert.equal(row?.body, 'To be seen by moderators', 'moderators see the text of what they hid');
    assert.equal(row?.authorEmail, 'member@example.org');
  });
});
