import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Hono } from 'hono';
import { addTestUser, sessionCookieFor } from '../../../test/accounts-fixtures.ts';
import { BrowserClient } from '../../../test/browser-client.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { addFixturePapers, mailTestConfig } from '../../../test/mail-fixtures.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { createApp } from '../app.ts';

describeEachDatabase('comment pages: threads on paper pages, forms, moderation and the audit log — and others get 404', (open) => {
  let db: Db;
  let app: Hono;
  let config: Config;
  let ada: BrowserClient;
  let bob: BrowserClient;
  let admin: BrowserClient;
  const PAPER = '/papers/2607.00001';

  const signedIn = async (email: string, role: 'admin' | 'member' = 'member') => {
    const browser = new BrowserClient(app);
    const [name, value] = (await sessionCookieFor(db, config, await addTestUser(db, email, role))).split('=');
    browser.setCookie(name, value);
    await browser.get('/collections'); // a page with forms: the CSRF field
    return browser;
  };
  const commentIdIn = (location: string | null) => Number(/#comment-(\d+)$/.exec(location ?? '')?.[1]);
  const post = async (browser: BrowserClient, fields: Record<string, string>) => {
    const res = await browser.post('/comments', { paper: String(paperId), ...fields });
    assert.equal(res.res.status, 303, res.body);
    return commentIdIn(res.res.headers.get('location'));
  };
  let paperId: number;

  before(async () => {
    db = await open();
    await addFixturePapers(db);
    config = { ...mailTestConfig(), logLevel: 'silent' };
    app = createApp({ db, config, cacheTtlMs: 60_000 });
    paperId = (await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', '2607.00001').executeTakeFirstOrThrow()).id;
    ada = await signedIn('ada@example.org');
    bob = await signedIn('bob@example.org');
    admin = await signedIn('mod@example.org', 'admin');
  });
  after(() => db.close());

  test('comment with math and reply from the paper page; the parent’s author gets a reply mail', async () => {
    const anonymous = await (await app.request(PAPER)).text();
    assert.match(anonymous, /No comments yet\./);
    assert.match(anonymous, /<a href="\/signin\?next=%2Fpapers%2F2607.00001">Sign in<\/a> to comment/);
    assert.doesNotMatch(anonymous, /action="\/comments"/, 'no form in the shared page');
    assert.match((await ada.get(PAPER)).body, /<form method="post" action="\/comments" class="comment-form new-comment">/);

    const first = await post(ada, { body: 'Is $\\sum_{i=1}^n i = \\frac{n(n+1)}{2}$ used in *Lemma 2*?' });
    const page = await app.request(PAPER);
    const html = await page.text();
    assert.match(html, new RegExp(`<article class="comment" id="comment-${first}"`));
    assert.match(html, /class="katex"/, 'math typeset on the server');
    assert.match(html, /<em>Lemma 2<\/em>/);
    assert.match(html, /katex\.css/, 'the page loads KaTeX’s stylesheet');
    assert.match(page.headers.get('content-security-policy') ?? '', /style-src[^;]*'unsafe-inline'/, 'KaTeX’s inline styles are allowed on that page');

    const asBob = await bob.get(PAPER);
    assert.match(asBob.body, new RegExp(`<input type="hidden" name="parent" value="${first}"/>`), 'a reply form under the comment');
    assert.doesNotMatch(asBob.body, new RegExp(`action="/comments/${first}/edit"`), 'no edit form for someone else’s comment');
    const reply = await post(bob, { parent: String(first), body: 'Yes, in the proof.' });
    const thread = await (await app.request(PAPER)).text();
    assert.match(thread, new RegExp(`id="comment-${first}"[\\s\\S]*<ol><li><article class="comment" id="comment-${reply}"`), 'the reply is nested under its parent');
    assert.match(thread, /2 comments/);
    const mails = await db.kysely.selectFrom('mail_outbox').select(['kind', 'to_address', 'user_id']).where('kind', '=', 'comment-reply').execute();
    assert.equal(mails.length, 1);
  });

  test('edit and delete one’s own; another account (or nobody) gets 404 for every form of it', async () => {
    const id = await post(ada, { body: 'First version' });
    assert.match((await ada.get(PAPER)).body, new RegExp(`action="/comments/${id}/edit"`));
    assert.equal((await ada.get(`/comments/${id}/edit`)).res.status, 200);
    const edited = await ada.post(`/comments/${id}/edit`, { body: 'Second version' });
    assert.equal(edited.res.status, 303);
    assert.match(await (await app.request(PAPER)).text(), / · edited<\/span><\/p><div class="comment-body"><p>Second version<\/p>/);

    const missing = await bob.post('/comments/999999/edit', { body: 'x' });
    assert.equal(missing.res.status, 404);
    for (const [path, fields] of [[`/comments/${id}/edit`, { body: 'Taken over' }], [`/comments/${id}/delete`, {}]] as const) {
      const res = await bob.post(path, fields);
      assert.equal(res.res.status, 404, path);
      assert.equal(res.body, missing.body, `${path}: the same page as a comment that does not exist`);
    }
    assert.equal((await bob.get(`/comments/${id}/edit`)).res.status, 404);
    assert.doesNotMatch((await bob.get(`/comments/${id}/edit`)).body, /Second version/);
    assert.equal((await app.request(`/comments/${id}/edit`)).status, 303, 'signed out: sign in first');
    assert.match(await (await app.request(PAPER)).text(), /Second version/, 'unchanged by the others');

    assert.equal((await ada.post(`/comments/${id}/delete`, {})).res.status, 303);
    assert.doesNotMatch(await (await app.request(PAPER)).text(), /Second version/);
  });

  test('a comment that cannot be posted comes back with the reason and the text; commenting is rate limited', async () => {
    const empty = await ada.post('/comments', { paper: String(paperId), body: '  ' });
    assert.equal(empty.res.status, 400);
    assert.match(empty.body, /Write something first\./);
    const cy = await signedIn('cy@example.org');
    for (let i = 0; i < 5; i++) await post(cy, { body: `Comment ${i}` });
    const limited = await cy.post('/comments', { paper: String(paperId), body: 'The sixth, kept' });
    assert.equal(limited.res.status, 429);
    assert.match(limited.body, /more comments than an account may write in a minute/);
    assert.match(limited.body, />The sixth, kept<\/textarea>/);
  });

  test('an admin hides a comment and suspends its author; each action is in the audit log; members get neither page', async () => {
    const troll = await signedIn('troll@example.org');
    const id = await post(troll, { body: 'Buy my course' });
    const fromPaper = await admin.get(PAPER);
    assert.match(fromPaper.body, new RegExp(`action="/admin/comments/${id}/hide"`), 'an admin’s tools under each comment');
    const hidden = await admin.post(`/admin/comments/${id}/hide`, { back: PAPER });
    assert.equal(hidden.res.status, 303);
    assert.equal(hidden.res.headers.get('location'), `${PAPER}#comments`);
    assert.doesNotMatch(await (await app.request(PAPER)).text(), /Buy my course/, 'hidden from everyone at once (the cached page is renewed)');

    const list = await admin.get('/admin/comments');
    assert.equal(list.res.status, 200);
    assert.match(list.body, /Buy my course/);
    assert.match(list.body, new RegExp(`action="/admin/comments/${id}/unhide"`));
    assert.equal((await admin.post(`/admin/comments/${id}/unhide`, { back: '/admin/comments' })).res.headers.get('location'), `/admin/comments?notice=unhide#comment-${id}`);
    assert.match(await (await app.request(PAPER)).text(), /Buy my course/);
    assert.equal((await admin.post(`/admin/comments/${id}/suspend-author`, { back: '/admin/comments' })).res.status, 303);
    assert.doesNotMatch(await (await app.request(PAPER)).text(), /Buy my course/, 'a suspended account’s comments are shown to nobody');

    const audit = await admin.get('/admin/audit');
    assert.equal(audit.res.status, 200);
    for (const action of ['comment.hide', 'comment.unhide', 'user.suspend']) assert.match(audit.body, new RegExp(`<code>${action.replace('.', '\\.')}</code>`));
    assert.match(audit.body, /mod@example\.org/);

    for (const path of ['/admin/comments', '/admin/audit']) {
      assert.notEqual((await ada.get(path)).res.status, 200, `${path}: members are refused`);
      assert.notEqual((await app.request(path)).status, 200, `${path}: nobody is refused`);
    }
    assert.equal((await ada.post(`/admin/comments/${id}/unhide`, {})).res.status >= 400, true, 'a member cannot moderate');
  });

  test('the reader turns reply mails off on /account/comments and sees their comments there', async () => {
    const page = await ada.get('/account/comments');
    assert.equal(page.res.status, 200);
    assert.match(page.body, /name="reply_mails" value="on" checked=""/);
    assert.match(page.body, /Is \$\\sum/);
    assert.equal((await ada.post('/account/comments', {})).res.status, 303);
    assert.doesNotMatch((await ada.get('/account/comments')).body, /checked/);
    const before = await db.kysely.selectFrom('mail_outbox').select('id').where('kind', '=', 'comment-reply').execute();
    const parent = await post(ada, { body: 'Ask me anything' });
    await post(bob, { parent: String(parent), body: 'Anything' });
    const after = await db.kysely.selectFrom('mail_outbox').select('id').where('kind', '=', 'comment-reply').execute();
    assert.equal(after.length, before.length, 'no reply mail once turned off');
  });
});
