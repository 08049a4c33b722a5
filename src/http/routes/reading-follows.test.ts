import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser, bearerFor, sessionCookieFor } from '../../../test/accounts-fixtures.ts';
import { BrowserClient, hrefs } from '../../../test/browser-client.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { addFixturePapers, DAY1, DAY2, mailTestConfig } from '../../../test/mail-fixtures.ts';
import type { User } from '../../accounts/user.ts';
import type { Db } from '../../db/database.ts';
import { createApp } from '../app.ts';

const config = mailTestConfig();

describeEachDatabase('reading state and follows through the web: hide what I have seen on every list, the Following page', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let ada: User;
  let bob: User;
  const id: Record<string, number> = {};
  const signedIn = async (user: User, from = '192.0.2.30') => {
    const [name, value] = (await sessionCookieFor(db, config, user)).split('=');
    const browser = new BrowserClient(app, from);
    browser.setCookie(name, value);
    await browser.get('/');
    return browser;
  };
  const listed = (html: string) => [...html.matchAll(/<li class="paper-item" id="paper-(\d+)"/g)].map((m) => Number(m[1]));

  before(async () => {
    db = await open();
    await addFixturePapers(db);
    app = createApp({ db, config, cacheTtlMs: 60_000, now: () => new Date(`${DAY2}T12:00:00Z`) });
    for (const r of await db.kysely.selectFrom('papers').select(['id', 'arxiv_id']).execute()) id[r.arxiv_id!] = r.id;
    ada = await addTestUser(db, 'ada@example.org');
    bob = await addTestUser(db, 'bob@example.org');
  });
  after(() => db.close());

  test('a card has read and not-interested buttons for a signed-in reader; marking read is a form', async () => {
    const browser = await signedIn(ada);
    const page = (await browser.get(`/day/${DAY2}`)).body;
    assert.match(page, new RegExp(`action="/papers/id/${id['2607.00101']}/reading"[^>]*data-state="read"`));
    assert.match(page, />Mark read</);
    assert.match(page, />Not interested</);
    const read = await browser.post(`/papers/id/${id['2607.00101']}/reading`, { state: 'read', back: `/day/${DAY2}` });
    assert.equal(read.res.status, 303);
    const dismissed = await browser.post(`/papers/id/${id['2607.00102']}/reading`, { state: 'dismissed' });
    assert.equal(dismissed.res.headers.get('location'), '/papers/2607.00102');
    const after = (await browser.get(`/day/${DAY2}`)).body;
    assert.match(after, />✓ Read</);
    assert.match(after, />✓ Not interested</);
    assert.ok(listed(after).includes(id['2607.00101']), 'the shared list still shows them');
  });

  test('?hide=read leaves them out of the day, trending, search, author pages and their JSON, for that reader only, never cached', async () => {
    const browser = await signedIn(ada);
    const seen = [id['2607.00101'], id['2607.00102']];
    for (const url of [`/day/${DAY2}?hide=read`, '/trending?hide=read', '/search?q=graph&hide=read', `/authors/${await gracesId()}?hide=read`]) {
      const res = await browser.get(url);
      assert.equal(res.res.status, 200, url);
      assert.match(res.res.headers.get('cache-control') ?? '', /private, no-store/, url);
      const shown = listed(res.body);
      assert.ok(shown.length > 0, url);
      for (const s of seen) assert.ok(!shown.includes(s), `${url} hides paper ${s}`);
    }
    const bobs = listed((await (await signedIn(bob)).get(`/day/${DAY2}?hide=read`)).body);
    assert.ok(seen.every((s) => bobs.includes(s)), 'another reader sees them');
    const nobody = await app.request(`/day/${DAY2}?hide=read`);
    assert.match(nobody.headers.get('cache-control') ?? '', /no-store/, 'not kept for the next reader either');
    const nobodyHtml = await nobody.text();
    assert.ok(seen.every((s) => listed(nobodyHtml).includes(s)), 'nobody is signed in: nothing to hide');
    const json = await (await app.request(`/api/day/${DAY2}?hide=read`, { headers: { Authorization: await bearerFor(db, ada) } })).json();
    assert.ok(json.papers.every((p: { id: number }) => !seen.includes(p.id)));
    assert.equal(json.total, 10);
  });

  test('the switch on each list, and its pages keep hiding', async () => {
    const browser = await signedIn(ada);
    const page = (await browser.get(`/day/${DAY1}`)).body;
    assert.ok(hrefs(page).includes(`/day/${DAY1}?hide=read`), 'Hide papers I have seen');
    const hidden = (await browser.get(`/day/${DAY1}?hide=read&cat=cs.LG`)).body;
    assert.ok(hrefs(hidden).includes(`/day/${DAY1}?cat=cs.LG`), 'Show them');
    assert.match(hidden, /name="hide" value="read"/, 'the filter form keeps hiding');
    assert.equal((await app.request('/trending?hide=everything')).status, 400);
  });

  test('the reading API: POST and DELETE read and not-interested, each taking back only itself', async () => {
    const auth = { Authorization: await bearerFor(db, bob) };
    const ref = '2607.00105';
    const call = async (method: string, what: string) => (await app.request(`/api/papers/${ref}/${what}`, { method, headers: auth })).json();
    assert.equal((await call('POST', 'read')).state, 'read');
    assert.equal((await call('POST', 'not-interested')).state, 'dismissed');
    assert.equal((await call('DELETE', 'read')).state, 'dismissed');
    assert.equal((await call('DELETE', 'not-interested')).state, null);
    assert.equal((await app.request('/api/papers/2607.99999/read', { method: 'POST', headers: auth })).status, 404);
  });

  test('follow an author from their page, an organization and a category; the Following page lists their papers', async () => {
    const browser = await signedIn(ada);
    const grace = await gracesId();
    const authorPage = (await browser.get(`/authors/${grace}`)).body;
    assert.match(authorPage, /class="follow-form"/);
    assert.match(authorPage, /name="author" value="\d+"/);
    const followed = await browser.post('/follows', { author: String(grace), follow: '1', back: `/authors/${grace}` });
    assert.equal(followed.res.status, 303);
    assert.match((await browser.get(`/authors/${grace}`)).body, />✓ Following</);
    const following = await browser.get('/following');
    assert.equal(following.res.status, 200);
    assert.match(following.body, /Grace Hopper/);
    assert.equal(listed(following.body).length, 22, 'Grace Hopper is on every fixture paper but two');
    assert.match(following.res.headers.get('cache-control') ?? '', /private, no-store/);
    // The organization page and a category chip.
    assert.match((await browser.get('/orgs/example-lab')).body, /name="organization" value="example-lab"/);
    await browser.post('/follows', { organization: 'example-lab', follow: '1' });
    await browser.post('/follows', { category: 'cs.LG', follow: '1' });
    assert.match((await browser.get('/following')).body, /href="\/trending\?cat=cs.LG">cs.LG</);
    const hide = listed((await browser.get('/following?hide=read')).body);
    assert.ok(!hide.includes(id['2607.00101']), 'hide=read works on the Following page too');
  });

  test('the follows API, and B never sees A\'s', async () => {
    const adaAuth = { Authorization: await bearerFor(db, ada), 'Content-Type': 'application/json' };
    const bobAuth = { Authorization: await bearerFor(db, bob), 'Content-Type': 'application/json' };
    const mine = await (await app.request('/api/follows', { headers: adaAuth })).json();
    assert.deepEqual(mine.follows.map((f: { kind: string }) => f.kind), ['author', 'organization', 'category']);
    assert.deepEqual((await (await app.request('/api/follows', { headers: bobAuth })).json()).follows, []);
    const list = await (await app.request('/api/following', { headers: bobAuth })).json();
    assert.equal(list.total, 0);
    const added = await app.request('/api/follows', { method: 'POST', headers: bobAuth, body: JSON.stringify({ category: 'cs.CL' }) });
    assert.equal(added.status, 200);
    assert.deepEqual(await added.json(), { following: true, follow: { kind: 'category', category: 'cs.CL', url: 'https://papers.example.org/trending?cat=cs.CL' } });
    assert.equal((await (await app.request('/api/following', { headers: bobAuth })).json()).total, 12);
    const bad = await app.request('/api/follows', { method: 'POST', headers: bobAuth, body: JSON.stringify({ category: 'cs.CL', author: 1 }) });
    assert.equal(bad.status, 400);
    assert.equal((await app.request('/api/follows', { method: 'POST', headers: bobAuth, body: JSON.stringify({ author: 999999 }) })).status, 404);
    const removed = await app.request('/api/follows', { method: 'DELETE', headers: bobAuth, body: JSON.stringify({ category: 'cs.CL' }) });
    assert.equal((await removed.json()).following, false);
    assert.equal((await app.request('/following')).status, 303, 'signed out: to the sign-in page');
  });

  async function gracesId(): Promise<number> {
    return (await db.kysely.selectFrom('authors').select('id').where('name', '=', 'Grace Hopper').executeTakeFirstOrThrow()).id;
  }
});
