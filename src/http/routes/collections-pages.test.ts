import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Hono } from 'hono';
import { addTestUser, sessionCookieFor } from '../../../test/accounts-fixtures.ts';
import { startArxivStandIn, type ArxivStandIn } from '../../../test/arxiv-stand-in.ts';
import { BrowserClient } from '../../../test/browser-client.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { addFixturePapers, mailTestConfig } from '../../../test/mail-fixtures.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { createApp } from '../app.ts';

describeEachDatabase('collection pages: cards, collection pages, imports, feeds, BibTeX — and others get 404', (open) => {
  let db: Db;
  let app: Hono;
  let arxiv: ArxivStandIn;
  let config: Config;
  let ada: BrowserClient;
  let bob: BrowserClient;
  let paperIds: number[];

  const signedIn = async (email: string) => {
    const browser = new BrowserClient(app);
    const [name, value] = (await sessionCookieFor(db, config, await addTestUser(db, email))).split('=');
    browser.setCookie(name, value);
    await browser.get('/collections'); // a page with forms: the CSRF field
    return browser;
  };
  const publicIdIn = (location: string | null) => /^\/collections\/([A-Za-z0-9_-]{16})/.exec(location ?? '')?.[1];
  const make = async (browser: BrowserClient, name: string, visibility: string) => {
    const made = await browser.post('/collections', { name, visibility, description: `About ${name}` });
    assert.equal(made.res.status, 303, made.body);
    const id = publicIdIn(made.res.headers.get('location'));
    assert.ok(id);
    return id;
  };

  before(async () => {
    db = await open();
    arxiv = await startArxivStandIn();
    await addFixturePapers(db);
    const base = mailTestConfig();
    config = { ...base, logLevel: (process.env.TEST_LOG as Config['logLevel']) ?? 'silent', sources: { ...base.sources, arxivApiUrl: arxiv.apiUrl, arxivIntervalMs: 0 } };
    app = createApp({ db, config, cacheTtlMs: 60_000 });
    paperIds = (await db.kysely.selectFrom('papers').select('id').orderBy('id').execute()).map((r) => r.id);
    ada = await signedIn('ada@example.org');
    bob = await signedIn('bob@example.org');
  });
  after(async () => {
    await arxiv.close();
    await db.close();
  });

  test('a card offers "Save" to a signed-in reader: into a new collection by name, then into an existing one, with a note', async () => {
    // The home page is the newest day (the fixture's second day): papers 13 to 24.
    const home = await ada.get('/');
    assert.match(home.body, /<form id="reader-save" method="post" action="\/collections\/save" hidden>/, "the page's save form, with the reader's token");
    assert.match(home.body, new RegExp(`<button type="submit" form="reader-save" name="paper" value="${paperIds[12]}"`), "the card's Save button posts it");
    const anonymous = await (await app.request('/')).text();
    assert.doesNotMatch(anonymous, /\/collections\/save|reader-save|<!--member-->/, 'signed-out readers get no form in the shared page');
    // What the browser sends from card 13's button: every card's fields of the page's form, the button's paper.
    const fields: Record<string, string> = { paper: String(paperIds[12]), back: '/' };
    for (const id of paperIds.slice(12, 24)) Object.assign(fields, { [`new_name-${id}`]: id === paperIds[12] ? 'To read' : '', [`note-${id}`]: '' });
    const saved = await ada.post('/collections/save', fields);
    assert.equal(saved.res.status, 303);
    assert.equal(saved.res.headers.get('location'), `/#paper-${paperIds[12]}`);
    const again = await ada.get('/');
    assert.match(again.body, /Saved in <a href="\/collections\/[A-Za-z0-9_-]{16}">To read<\/a>/);
    const id = /href="\/collections\/([A-Za-z0-9_-]{16})">To read</.exec(again.body)![1];
    const withNote = await ada.post('/collections/save', { paper: String(paperIds[13]), collection: id, note: 'Section 2 matters', back: '/' });
    assert.equal(withNote.res.status, 303);
    const page = await ada.get(`/collections/${id}`);
    assert.equal(page.res.status, 200);
    assert.match(page.body, /Section 2 matters/);
    const removed = await ada.post('/collections/remove', { paper: String(paperIds[13]), collection: id, back: '/' });
    assert.equal(removed.res.status, 303);
    assert.doesNotMatch((await ada.get(`/collections/${id}`)).body, /Section 2 matters/);
  });

  test('the collection page: the owner edits it; a public one is listed, shared, and exported as RSS, Atom and BibTeX', async () => {
    const id = await make(ada, 'Graph learning <b>bold</b>', 'public');
    assert.equal((await ada.post(`/collections/${id}/papers`, { paper: '2607.00003', note: 'Read the *appendix* & <script>alert(1)</script>' })).res.status, 303);
    const owner = await ada.get(`/collections/${id}`);
    assert.match(owner.body, /Graph learning &lt;b&gt;bold&lt;\/b&gt;/, 'names are escaped');
    assert.match(owner.body, /Read the \*appendix\* &amp; &lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'notes are escaped text');
    assert.match(owner.body, new RegExp(`action="/collections/${id}/settings"`));
    const visitor = await app.request(`/collections/${id}`);
    assert.equal(visitor.status, 200);
    const visitorHtml = await visitor.text();
    assert.doesNotMatch(visitorHtml, /\/settings"|\/delete"/, 'visitors get no owner forms');
    assert.match(visitorHtml, /Diffusion models for protein design 3/);
    assert.match(await (await app.request('/collections')).text(), new RegExp(`href="/collections/${id}"`), 'listed in the public directory');
    const rss = await app.request(`/collections/${id}/feed.xml`);
    assert.match(rss.headers.get('content-type') ?? '', /application\/rss\+xml/);
    assert.match(await rss.text(), /<title>Diffusion models for protein design 3<\/title>/);
    const atom = await (await app.request(`/collections/${id}/feed.xml?format=atom`)).text();
    assert.match(atom, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    const bib = await app.request(`/collections/${id}/collection.bib`);
    assert.match(bib.headers.get('content-type') ?? '', /application\/x-bibtex/);
    assert.match(await bib.text(), /title = \{\{Diffusion models for protein design 3\}\}/);
    const settings = await ada.post(`/collections/${id}/settings`, { name: 'Renamed', visibility: 'unlisted', description: '' });
    assert.equal(settings.res.status, 303);
    assert.doesNotMatch(await (await app.request('/collections')).text(), new RegExp(`href="/collections/${id}"`), 'unlisted: no longer listed');
    assert.equal((await app.request(`/collections/${id}`)).status, 200, 'but open to anyone with the link');
  });

  test('security: another account (or nobody) cannot see, change or delete a private collection through any page — 404', async () => {
    const id = await make(ada, 'Private thoughts', 'private');
    await ada.post(`/collections/${id}/papers`, { paper: '2607.00004', note: 'a private note' });
    const missing = await bob.get('/collections/AAAAAAAAAAAAAAAA');
    assert.equal(missing.res.status, 404);
    for (const path of [`/collections/${id}`, `/collections/${id}/feed.xml`, `/collections/${id}/feed.xml?format=atom`, `/collections/${id}/collection.bib`, `/collections/${id}/import`]) {
      const asBob = await bob.get(path);
      const asNobody = await app.request(path);
      for (const [status, body] of [[asBob.res.status, asBob.body], [asNobody.status, await asNobody.text()]] as const) {
        assert.equal(status, 404, path);
        assert.doesNotMatch(body, /Private thoughts|private note/, path);
      }
    }
    for (const [path, fields] of [
      [`/collections/${id}/settings`, { name: 'Taken over', visibility: 'public' }],
      [`/collections/${id}/delete`, {}],
      [`/collections/${id}/papers`, { paper: '2607.00005' }],
      [`/collections/${id}/papers/remove`, { paper: String(paperIds[3]) }],
      ['/collections/save', { paper: String(paperIds[5]), collection: id, back: '/' }],
      ['/collections/remove', { paper: String(paperIds[3]), collection: id, back: '/' }],
    ] as const) {
      const res = await bob.post(path, fields);
      assert.equal(res.res.status, 404, path);
      assert.equal(res.body, missing.body, `${path}: the same page as a collection that does not exist`);
    }
    const still = await ada.get(`/collections/${id}`);
    assert.match(still.body, /Private thoughts/);
    assert.match(still.body, /a private note/);
    assert.doesNotMatch((await bob.get('/')).body, /Private thoughts/, 'the card menu offers only the reader’s own collections');
  });

  test('import a BibTeX file from the collection page: the result lists what was added and what matched nothing', async () => {
    const id = await make(ada, 'Imported list', 'private');
    const form = await ada.get(`/collections/${id}/import`);
    assert.equal(form.res.status, 200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
    const body = new FormData();
    body.set('_csrf', csrf);
    body.set('file', new Blob([readFileSync(new URL('../../../test/fixtures/references/reading-group.bib', import.meta.url))]), 'reading-group.bib');
    const result = await ada.request(`/collections/${id}/import`, { method: 'POST', body, headers: { Origin: 'http://localhost', 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(result.res.status, 200, result.body);
    assert.match(result.body, /3 added/);
    assert.match(result.body, /Attainable forms of Assouad spectra/, 'the paper fetched from arXiv');
    assert.match(result.body, /Not matched \(2\)/);
    assert.match(result.body, /A Book Nobody Here Has Read/);
    assert.match(result.body, /No paper here has its arXiv id, DOI or title\./);
    const big = new FormData();
    big.set('_csrf', csrf);
    big.set('file', new Blob(['%'.repeat(1_200_000)]), 'big.bib');
    const refused = await ada.request(`/collections/${id}/import`, { method: 'POST', body: big, headers: { Origin: 'http://localhost', 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(refused.res.status, 400);
    assert.match(refused.body, /at most 1 MB/);
  });

  test('forms are checked: a name is needed, and the reason is shown', async () => {
    const res = await ada.post('/collections', { name: '   ', visibility: 'private' });
    assert.equal(res.res.status, 400);
    assert.match(res.body, /A collection needs a name\./);
  });
});
