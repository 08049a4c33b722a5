import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser, bearerFor, sessionCookieFor } from '../../../test/accounts-fixtures.ts';
import { type ArxivStandIn, startArxivStandIn } from '../../../test/arxiv-stand-in.ts';
import { BrowserClient } from '../../../test/browser-client.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { addFixturePapers, DAY1, DAY2, mailTestConfig } from '../../../test/mail-fixtures.ts';
import type { User } from '../../accounts/user.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { createApp } from '../app.ts';

describeEachDatabase('submitting papers through the web, and the day\'s community picks', (open) => {
  let db: Db;
  let arxiv: ArxivStandIn;
  let config: Config;
  let app: ReturnType<typeof createApp>;
  let ada: User;
  // A Saturday: the home page shows Friday's listing (DAY2), whose picks run until the next listing.
  const saturday = new Date('2026-07-04T10:00:00Z');

  before(async () => {
    db = await open();
    arxiv = await startArxivStandIn();
    const base = mailTestConfig();
    config = { ...base, sources: { ...base.sources, arxivApiUrl: arxiv.apiUrl, arxivIntervalMs: 0 } };
    await addFixturePapers(db);
    app = createApp({ db, config, cacheTtlMs: 60_000, now: () => saturday });
    ada = await addTestUser(db, 'ada@example.org');
    await db.kysely.updateTable('users').set({ display_name: 'Ada <L>' }).where('id', '=', ada.id).execute();
  });
  after(async () => {
    await arxiv.close();
    await db.close();
  });

  const signedIn = async (user: User) => {
    const [name, value] = (await sessionCookieFor(db, config, user)).split('=');
    const browser = new BrowserClient(app, '192.0.2.40');
    browser.setCookie(name, value);
    return browser;
  };

  test('the submit page needs an account; the form fetches the paper from arXiv and says so', async () => {
    assert.equal((await app.request('/submit')).status, 303);
    const browser = await signedIn(ada);
    const form = await browser.get('/submit');
    assert.equal(form.res.status, 200);
    assert.match(form.body, /<form class="form" method="post" action="\/submit">/);
    const sent = await browser.post('/submit', { arxiv: 'https://arxiv.org/abs/2206.06921v3' });
    assert.equal(sent.res.status, 200);
    assert.match(sent.body, /Added from arXiv: <a href="\/papers\/2206.06921">arXiv:2206.06921<\/a> — submitted by Ada &lt;L&gt; on/);
    assert.deepEqual(arxiv.asked(), ['2206.06921']);
    const again = await browser.post('/submit', { arxiv: '2206.06921' });
    assert.match(again.body, /Already submitted: /);
    const bad = await browser.post('/submit', { arxiv: 'https://evil.example/abs/2206.06921' });
    assert.equal(bad.res.status, 400);
    assert.match(bad.body, /is not an arXiv id or the address of an arXiv paper/);
    assert.match(bad.body, /value="https:\/\/evil.example\/abs\/2206.06921"/, 'what was typed stays in the field');
    const missing = await browser.post('/submit', { arxiv: '1201.56789' });
    assert.equal(missing.res.status, 404);
    assert.match(missing.body, /arXiv has no paper 1201.56789/);
  });

  test('the paper shows "submitted by" on its page and in the home page\'s community picks, escaped', async () => {
    const paper = await (await app.request('/papers/2206.06921')).text();
    assert.match(paper, /Submitted by <strong>Ada &lt;L&gt;<\/strong> on <time datetime="2026-07-04">/);
    const home = await (await app.request('/')).text();
    const picks = home.slice(home.indexOf('id="picks-title"'), home.indexOf('</section>', home.indexOf('id="picks-title"')));
    assert.match(picks, /Community picks/);
    assert.match(picks, /Attainable forms of Assouad spectra/);
    assert.doesNotMatch(home, /Ada <L>/, 'never unescaped');
    const thursday = await (await app.request(`/day/${DAY1}`)).text();
    assert.doesNotMatch(thursday, /id="picks-title"/, 'Thursday\'s page: nothing was picked before Friday\'s listing');
    const json = await (await app.request(`/api/day/${DAY2}`)).json();
    assert.deepEqual(json.picks.map((p: { arxivId: string }) => p.arxivId), ['2206.06921']);
  });

  test('an upvote on a paper makes it a pick of that day too', async () => {
    const browser = await signedIn(ada);
    await browser.get('/');
    const id = (await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', '2607.00005').executeTakeFirstOrThrow()).id;
    await browser.post(`/papers/id/${id}/vote`, { vote: '1' });
    const json = await (await app.request(`/api/day/${DAY2}`)).json();
    assert.ok(json.picks.some((p: { arxivId: string }) => p.arxivId === '2607.00005'), 'voted today (Saturday): on the latest listing day\'s picks');
  });

  test('POST /api/submissions: 201 when fetched, 200 when known, 400/404/503 with the reason', async () => {
    const auth = { Authorization: await bearerFor(db, ada), 'Content-Type': 'application/json' };
    const post = (body: unknown) => app.request('/api/submissions', { method: 'POST', headers: auth, body: JSON.stringify(body) });
    const created = await post({ arxiv: '2201.13452' });
    assert.equal(created.status, 201);
    const body = await created.json();
    assert.deepEqual({ ...body, paper: { ...body.paper, id: undefined } }, {
      paper: { id: undefined, arxivId: '2201.13452', url: 'https://papers.example.org/papers/2201.13452' },
      added: true,
      marked: true,
      submission: { by: 'Ada <L>', on: '2026-07-04' },
    });
    assert.equal((await post({ arxiv: 'arXiv:2201.13452v1' })).status, 200);
    assert.equal((await post({ arxiv: 'nonsense' })).status, 400);
    assert.equal((await post({ arxiv: 'x'.repeat(301) })).status, 400);
    assert.equal((await post({ paper: '2201.13452' })).status, 400, 'unknown fields are refused');
    assert.equal((await post({ arxiv: '2301.00001' })).status, 404);
    arxiv.down = true;
    const down = await post({ arxiv: '2301.00002' });
    arxiv.down = false;
    assert.equal(down.status, 503);
    assert.match((await down.json()).error.message, /arXiv did not answer/);
  });
});
