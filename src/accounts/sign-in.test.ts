import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { claimDueMessages } from '../mail/outbox.repo.ts';
import { renderAccountMail } from './account-mails.tsx';
import { emailLinkToken } from './email-links.ts';
import { requestSignInLink, type SignInContext, useSignInLink } from './sign-in.service.ts';

const KEY = 'test-secret-key-0123456789abcdef0123456789abcdef';
const T0 = new Date('2026-07-02T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describeEachDatabase('mailed sign-in links: single use, 15 minutes, registration checked when used', (open) => {
  let db: Db;
  let ctx: SignInContext;
  /** Asks for a link for `email` at `at` and returns the token of the mail it queued. */
  const linkFor = async (email: string, at = T0, c: SignInContext = ctx) => {
    assert.equal(await requestSignInLink(c, { email, client: '192.0.2.1' }, at), 'accepted');
    const row = await db.kysely.selectFrom('email_links').selectAll().where('email', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
    return emailLinkToken(KEY, row);
  };

  before(async () => {
    db = await open();
    ctx = { db: db.kysely, key: KEY, accounts: { registration: 'open', allowedEmailDomains: [] } };
  });
  after(() => db.close());

  test('works within 15 minutes, not after', async () => {
    const early = await linkFor('early@example.org');
    assert.notEqual(await useSignInLink(ctx, early, minutes(14)), 'invalid');
    const late = await linkFor('late@example.org');
    assert.equal(await useSignInLink(ctx, late, minutes(15)), 'invalid');
    assert.equal((await db.kysely.selectFrom('users').select('id').where('email', '=', 'late@example.org').execute()).length, 0);
  });

  test('two requests racing with one link: exactly one signs in', async () => {
    const token = await linkFor('race@example.org');
    const results = await Promise.all([useSignInLink(ctx, token, minutes(1)), useSignInLink(ctx, token, minutes(1)), useSignInLink(ctx, token, minutes(1))]);
    assert.equal(results.filter((r) => r !== 'invalid').length, 1);
  });

  test('the table and the outbox alone open nothing: the link is signed with the secret key, the outbox keeps only its id', async () => {
    const token = await linkFor('keyed@example.org');
    const row = await db.kysely.selectFrom('email_links').selectAll().where('email', '=', 'keyed@example.org').executeTakeFirstOrThrow();
    // Someone who read the row (id, salt) but not SECRET_KEY signs a token of their own: refused.
    assert.equal(await useSignInLink(ctx, emailLinkToken('another-key-0123456789abcdef0123456789abcdef', row), minutes(1)), 'invalid');
    const queued = await db.kysely.selectFrom('mail_outbox').select(['payload', 'to_address', 'user_id']).where('to_address', '=', 'keyed@example.org').executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(queued.payload), { linkId: row.id, signUp: true });
    assert.doesNotMatch(queued.payload, new RegExp(token.split('.')[2]));
    assert.notEqual(await useSignInLink(ctx, token, minutes(1)), 'invalid');
  });

  test('registration and domains are checked when the link is asked for and again when it is used', async () => {
    const lab: SignInContext = { ...ctx, accounts: { registration: 'open', allowedEmailDomains: ['lab.example.org'] } };
    await requestSignInLink(lab, { email: 'outsider@elsewhere.test', client: '192.0.2.2' }, T0);
    assert.equal((await db.kysely.selectFrom('email_links').select('id').where('email', '=', 'outsider@elsewhere.test').execute()).length, 0, 'no mail outside the domains');
    assert.notEqual(await useSignInLink(lab, await linkFor('member@sub.lab.example.org', T0, lab), minutes(1)), 'invalid', 'subdomains count');
    const token = await linkFor('latecomer@example.org');
    const closed: SignInContext = { ...ctx, accounts: { registration: 'closed', allowedEmailDomains: [] } };
    assert.equal(await useSignInLink(closed, token, minutes(1)), 'not-allowed');
  });

  test('a mail whose link was used before it went out is cancelled, not sent', async () => {
    const token = await linkFor('quick@example.org');
    await useSignInLink(ctx, token, minutes(1));
    const rows = await claimDueMessages(db.kysely, db.dialect, 100, 60, minutes(2));
    const row = rows.find((r) => r.to_address === 'quick@example.org')!;
    assert.deepEqual(await renderAccountMail({ db: db.kysely, baseUrl: 'https://papers.example.org', key: KEY, now: minutes(2) }, row), { cancel: 'link used or expired' });
    const fresh = rows.find((r) => r.to_address === 'early@example.org');
    if (fresh) assert.ok('cancel' in (await renderAccountMail({ db: db.kysely, baseUrl: 'https://papers.example.org', key: KEY, now: minutes(20) }, fresh)), 'expired by now');
  });
});
