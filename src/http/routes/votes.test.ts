import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { addTestUser, bearerFor, sessionCookieFor } from '../../../test/accounts-fixtures.ts';
import { BrowserClient } from '../../../test/browser-client.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { addFixturePapers, DAY2, mailTestConfig } from '../../../test/mail-fixtures.ts';
import type { User } from '../../accounts/user.ts';
import { VOTE_LIMIT } from '../../community/votes.service.ts';
import type { Db } from '../../db/database.ts';
import { createApp } from '../app.ts';

const config = mailTestConfig();

describeEachDatabase('upvoting through the web: a form without JavaScript, the JSON API, the shared cached pages', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let ada: User;
  let paperId: number;
  const arxivId = '2607.00101';
  /** A browser signed in as `user` that has loaded the home page (so it holds a CSRF field). */
  const signedIn = async (user: User, from = '192.0.2.20') => {
    const [name, value] = (await sessionCookieFor(db, config, user)).split('=');
    const browser = new BrowserClient(app, from);
    browser.setCookie(name, value);
    return browser;
  };
  const card = (html: string, id: number) => {
    const start = html.indexOf(`id="paper-${id}"`);
    assert.ok(start >= 0, `card of paper ${id} on the page`);
    return html.slice(start, html.indexOf('</li>', html.indexOf('class="paper-actions"', start)));
  };

  before(async () => {
    db = await open();
    await addFixturePapers(db);
    app = createApp({ db, config, cacheTtlMs: 60_000 });
    ada = await addTestUser(db, 'ada@example.org');
    paperId = (await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', arxivId).executeTakeFirstOrThrow()).id;
  });
  after(() => db.close());

  test('anonymous readers see the count and a way to sign in, never a form', async () => {
    const html = await (await app.request(`/day/${DAY2}`)).text();
    const c = card(html, paperId);
    // 2607.00101: 100 - 5 + 1 = 96 imported upvotes.
    assert.match(c, /class="vote-button" href="\/signin\?next=%2Fpapers%2F2607.00101"/);
    assert.match(c, /<span class="vote-count">96<\/span>/);
    assert.match(c, /96 on Hugging Face · 0 here/);
    assert.doesNotMatch(c, /<form/);
  });

  test('a signed-in reader votes with the plain form and comes back to the card; the count and the button change', async () => {
    const browser = await signedIn(ada);
    const before = card((await browser.get(`/day/${DAY2}`)).body, paperId);
    assert.match(before, /action="\/papers\/id\/\d+\/vote"/);
    assert.match(before, /aria-pressed="false"/);
    assert.match(before, /name="vote" value="1"/);
    const voted = await browser.post(`/papers/id/${paperId}/vote`, { vote: '1', back: `/day/${DAY2}#paper-${paperId}` });
    assert.equal(voted.res.status, 303);
    assert.equal(voted.res.headers.get('location'), `/day/${DAY2}#paper-${paperId}`);
    const after = card((await browser.get(`/day/${DAY2}`)).body, paperId);
    assert.match(after, /class="vote-button" aria-pressed="true" title="96 on Hugging Face · 1 here"/);
    assert.match(after, /<span class="vote-count">97<\/span>/);
    assert.match(after, /name="vote" value="0"/);
    const anonymous = card(await (await app.request(`/day/${DAY2}`)).text(), paperId);
    assert.match(anonymous, /<span class="vote-count">97<\/span>/, 'the shared page counts the vote too');
    const paper = await (await app.request(`/papers/${arxivId}`)).text();
    assert.match(paper, /96 on Hugging Face · 1 here/, 'the paper page says which votes are which');
  });

  test("the cards' buttons are the same for every reader and post the page's one form; only a voted card differs", async () => {
    const bob = await addTestUser(db, 'bob-shared@example.org');
    const carol = await addTestUser(db, 'carol-shared@example.org');
    const [bobs, carols] = [await signedIn(bob), await signedIn(carol)];
    const other = (await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', '2607.00102').executeTakeFirstOrThrow()).id;
    const page = (await bobs.get(`/day/${DAY2}`)).body;
    // The page's actions form holds the reader's token and the way back; the card's button names it.
    const form = /<form id="reader-actions" method="post" action="[^"]*" hidden>(.*?)<\/form>/.exec(page)?.[1];
    assert.ok(form, "the page's actions form");
    const fields = Object.fromEntries([...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]));
    assert.deepEqual(Object.keys(fields).sort(), ['_csrf', 'back']);
    assert.equal(fields.back, `/day/${DAY2}`);
    const button = new RegExp(`<button type="submit" form="reader-actions" formaction="(/papers/id/${other}/vote)" name="vote" value="1"`).exec(card(page, other));
    assert.ok(button, 'the vote button posts the shared form');
    assert.doesNotMatch(card(page, other), /_csrf/, 'no token on the card: it is shared');
    // Without JavaScript: the form's fields and the button's name and value, to the button's formaction.
    const voted = await bobs.post(button[1], { ...fields, vote: '1' }, { csrf: false });
    assert.equal(voted.res.status, 303);
    assert.equal(voted.res.headers.get('location'), `/day/${DAY2}#paper-${other}`, 'back to the card');
    const bobPage = (await bobs.get(`/day/${DAY2}`)).body;
    const carolPage = (await carols.get(`/day/${DAY2}`)).body;
    assert.match(card(bobPage, other), /name="vote" value="0" class="vote-button" aria-pressed="true"/);
    assert.match(card(carolPage, other), /name="vote" value="1" class="vote-button" aria-pressed="false"/);
    assert.equal(card(carolPage, paperId).replace(/aria-pressed="true"|value="0"/g, ''), card(bobPage, paperId).replace(/aria-pressed="true"|value="0"/g, ''), 'the same card for both');
    // The shared form's token is the reader's: without it, or from another site, the post is refused.
    assert.equal((await bobs.post(button[1], { back: fields.back, vote: '0' }, { csrf: false })).res.status, 403);
    assert.equal((await bobs.post(button[1], { ...fields, vote: '0' }, { csrf: false, headers: { Origin: 'https://evil.example' } })).res.status, 403);
    assert.equal((await bobs.post(button[1], { ...fields, vote: '0' }, { csrf: false })).res.status, 303);
  });

  test('a signed-in page put together from compressed shared parts is the same page as the plain one', async () => {
    const bob = await addTestUser(db, 'bob-gzip@example.org');
    const headers = { cookie: `${await sessionCookieFor(db, config, bob)}; paperboy_csrf=${'v'.repeat(43)}` };
    const browser = await signedIn(bob);
    const paperId = (await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', '2607.00103').executeTakeFirstOrThrow()).id;
    await browser.post(`/papers/id/${paperId}/vote`, { vote: '1', back: '/' });
    await browser.post(`/papers/id/${paperId}/reading`, { state: 'read', back: '/' });
    for (let i = 0; i < 2; i++) {
      const plain = await (await app.request(`/day/${DAY2}`, { headers })).text();
      const zipped = await app.request(`/day/${DAY2}`, { headers: { ...headers, 'accept-encoding': 'gzip' } });
      assert.equal(zipped.headers.get('content-encoding'), 'gzip');
      assert.equal(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString(), plain);
      assert.match(card(plain, paperId), /aria-pressed="true"[^>]*data-toggle="vote"/);
      assert.match(card(plain, paperId), /name="state" value="none" class="action-button" aria-pressed="true" data-toggle="reading" data-state="read"/);
      assert.doesNotMatch(plain, /<!--member-->/);
    }
    assert.doesNotMatch(await (await app.request(`/day/${DAY2}`)).text(), /reader-actions|data-toggle/, 'anonymous readers get none of it');
  });

  test('readers whose own cards lie anywhere on the page (more places than the cache keeps joined) each get their plain page gzipped', async () => {
    const html = await (await app.request(`/day/${DAY2}`)).text();
    const onPage = [...html.matchAll(/id="paper-(\d+)"/g)].map((m) => Number(m[1]));
    assert.ok(onPage.length >= 3, 'a page of several cards');
    const readers = [];
    for (let i = 0; i < 7; i++) {
      const reader = await addTestUser(db, `reader-${i}-gzip@example.org`);
      // Reader 0 marks nothing; the others the last card, the first, and the ones between.
      const marked = i === 0 ? undefined : onPage[(onPage.length - i + onPage.length) % onPage.length];
      if (marked !== undefined) await app.request(`/api/papers/id/${marked}/vote`, { method: 'POST', headers: { Authorization: await bearerFor(db, reader) } });
      readers.push({ marked, headers: { cookie: `${await sessionCookieFor(db, config, reader)}; paperboy_csrf=${String(i).padStart(43, 'v')}` } });
    }
    for (let round = 0; round < 2; round++) {
      for (const { marked, headers } of readers) {
        const plain = await (await app.request(`/day/${DAY2}`, { headers })).text();
        const zipped = await app.request(`/day/${DAY2}`, { headers: { ...headers, 'accept-encoding': 'gzip' } });
        assert.equal(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString(), plain);
        if (marked !== undefined) assert.match(card(plain, marked), /aria-pressed="true"[^>]*data-toggle="vote"/);
      }
    }
  });

  test('a form sent somewhere else, or without its token, is refused; `back` never leaves the site', async () => {
    const browser = await signedIn(ada);
    await browser.get('/');
    assert.equal((await browser.post(`/papers/id/${paperId}/vote`, { vote: '1' }, { csrf: false })).res.status, 403);
    const away = await browser.post(`/papers/id/${paperId}/vote`, { vote: '1', back: 'https://evil.example/' });
    assert.equal(away.res.headers.get('location'), `/papers/${arxivId}`);
    const signedOut = new BrowserClient(app);
    await signedOut.get('/subscribe');
    assert.equal((await signedOut.post(`/papers/id/${paperId}/vote`, { vote: '1' })).res.status, 401);
    assert.equal((await browser.post('/papers/id/999999/vote', { vote: '1' })).res.status, 404);
  });

  test('the JSON API: POST and DELETE /api/papers/{ref}/vote by arXiv id or numeric id, with a token or a session', async () => {
    const bob = await addTestUser(db, 'bob@example.org');
    const auth = { Authorization: await bearerFor(db, bob) };
    const cast = await app.request(`/api/papers/${arxivId}v1/vote`, { method: 'POST', headers: auth });
    assert.equal(cast.status, 200);
    assert.deepEqual(await cast.json(), { paper: { id: paperId, arxivId, url: `https://papers.example.org/papers/${arxivId}` }, voted: true, votes: { imported: 96, local: 2, total: 98 } });
    const again = await (await app.request(`/api/papers/id/${paperId}/vote`, { method: 'POST', headers: auth })).json();
    assert.equal(again.votes.local, 2, 'one vote per account');
    const removed = await app.request(`/api/papers/${arxivId}/vote`, { method: 'DELETE', headers: auth });
    assert.deepEqual((await removed.json()).votes, { imported: 96, local: 1, total: 97 });
    assert.equal((await app.request(`/api/papers/${arxivId}/vote`, { method: 'POST' })).status, 403, 'no credentials, no CSRF token: refused before any route');
    const nobody = new BrowserClient(app);
    const field = /name="_csrf" value="([^"]+)"/.exec((await nobody.get('/subscribe')).body)![1];
    const signedOut = await nobody.request(`/api/papers/${arxivId}/vote`, { method: 'POST', headers: { 'X-CSRF-Token': field, Origin: 'http://localhost', 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(signedOut.res.status, 401, 'a browser that is not signed in');
    assert.equal(JSON.parse(signedOut.body).error.status, 401);
    assert.equal((await app.request('/api/papers/2607.99999/vote', { method: 'POST', headers: auth })).status, 404);
    // A cookie session needs the CSRF header, as every state change does.
    const browser = await signedIn(bob);
    const page = await browser.get('/');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const noToken = await browser.request(`/api/papers/${arxivId}/vote`, { method: 'POST', headers: { Origin: 'http://localhost', 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(noToken.res.status, 403);
    const withToken = await browser.request(`/api/papers/${arxivId}/vote`, { method: 'POST', headers: { 'X-CSRF-Token': token, Origin: 'http://localhost', 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(withToken.res.status, 200);
    assert.equal(JSON.parse(withToken.body).voted, true);
  });

  test('the vote shows in lists\' JSON, and ranks: trending uses local votes', async () => {
    const day = await (await app.request(`/api/day/${DAY2}`)).json();
    const listed = day.papers.find((p: { id: number }) => p.id === paperId);
    assert.equal(listed.upvotes, 96);
    assert.equal(listed.localVotes, 2);
  });

  test('voting is rate limited: 429 with Retry-After, as JSON and as a page', async () => {
    const eve = await addTestUser(db, 'eve@example.org');
    const auth = { Authorization: await bearerFor(db, eve) };
    for (let i = 0; i < VOTE_LIMIT.max; i++) await app.request(`/api/papers/id/${paperId}/vote`, { method: i % 2 ? 'DELETE' : 'POST', headers: auth });
    const refused = await app.request(`/api/papers/id/${paperId}/vote`, { method: 'POST', headers: auth });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal((await refused.json()).error.status, 429);
    const browser = await signedIn(eve);
    await browser.get('/');
    const form = await browser.post(`/papers/id/${paperId}/vote`, { vote: '1' });
    assert.equal(form.res.status, 429);
    assert.match(form.body, /Too many votes/);
  });
});
