import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser, bearerFor, sessionCookieFor } from '../../test/accounts-fixtures.ts';
import { BrowserClient } from '../../test/browser-client.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { mailTestConfig } from '../../test/mail-fixtures.ts';
import type { User } from '../accounts/user.ts';
import { setVote } from '../community/votes.service.ts';
import type { Db } from '../db/database.ts';
import { createApp } from '../http/app.ts';
import { addRecords } from '../papers/papers.service.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { forYouFeedUrl } from '../http/routes/for-you.ts';
import { prepareRecommendations, settingsOf, trainingSettled } from './recommend.service.ts';
import { PREPARING_RETRY_SECONDS } from './recommend.schemas.ts';

const config = mailTestConfig();
const DAY = '2026-07-03';
const HOUR_AGO = () => new Date(Date.now() - 3600_000);

/** Forty papers of one listing day on two topics, enough for a context and a pool. */
function papers(): PaperRecord[] {
  return Array.from({ length: 40 }, (_, i) => {
    const topic = i % 2 ? 'protein folding residue binding' : 'diffusion denoising sampler guidance';
    return {
      source: 'arxiv-atom',
      arxivId: `2607.${String(i + 1).padStart(5, '0')}v1`,
      title: `${topic.split(' ')[i % 4]} study ${i}`,
      abstract: `We study ${topic} in experiment ${i}.`,
      authors: [`Person ${i}`],
      categories: [i % 2 ? 'q-bio.BM' : 'cs.CV'],
      primaryCategory: i % 2 ? 'q-bio.BM' : 'cs.CV',
      announcedOn: DAY,
      publishedAt: `${DAY}T00:00:00Z`,
    };
  });
}

describeEachDatabase('For you right after start: a cold page says it is being prepared at once and reloads itself', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const now = () => new Date(`${DAY}T12:00:00Z`);
  /** A reader whose signals are an hour old (not their own new vote: nothing to wait for). */
  const quietReader = async (email: string): Promise<User> => {
    const user = await addTestUser(db, email);
    const ids = await db.kysely.selectFrom('papers').select('id').orderBy('id').limit(6).execute();
    for (const { id } of ids) await setVote(db, user, id, true, HOUR_AGO());
    return user;
  };
  const browserOf = async (user: User) => {
    const [name, value] = (await sessionCookieFor(db, config, user)).split('=');
    const browser = new BrowserClient(app, '192.0.2.41');
    browser.setCookie(name, value);
    return browser;
  };
  /** Reloads `path` as the page's refresh does (sooner, to keep the test short) until it is no longer being prepared. */
  const reloaded = async (browser: BrowserClient, path: string) => {
    for (let reloads = 0; ; reloads++) {
      const { body } = await browser.get(path);
      if (!/being prepared/.test(body) || reloads === 50) return { body, reloads };
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const timed = async <T>(f: () => Promise<T>) => {
    const t0 = performance.now();
    const out = await f();
    return { out, ms: performance.now() - t0 };
  };

  before(async () => {
    db = await open();
    await addRecords(db, papers());
    // Nothing prepared: as a server right after start, before its start-up work is done.
    app = createApp({ db, config, cacheTtlMs: 0, now });
  });
  after(() => db.close());

  test('page, learned-model page, API and private feed answer "being prepared" without waiting; after preparing they list', async () => {
    const [ada, bob, cyd, dan] = [await quietReader('ada@example.org'), await quietReader('bob@example.org'), await quietReader('cyd@example.org'), await quietReader('dan@example.org')];
    const adaBrowser = await browserOf(ada);
    const page = await timed(() => adaBrowser.get('/for-you'));
    assert.equal(page.out.res.status, 200);
    assert.match(page.out.body, /being prepared/);
    assert.match(page.out.body, new RegExp(`<meta http-equiv="refresh" content="${PREPARING_RETRY_SECONDS}"`));
    assert.ok(page.ms < 1000, `the cold page answered in ${page.ms.toFixed(0)} ms`);

    // The context may be ready by now; these readers' first models are not, and their signals are old.
    const cydBrowser = await browserOf(cyd);
    const model = await timed(() => cydBrowser.get('/for-you/model'));
    assert.equal(model.out.res.status, 200);
    assert.match(model.out.body, /being prepared/);
    assert.match(model.out.body, /http-equiv="refresh"/);
    assert.ok(model.ms < 1000, `the cold model page answered in ${model.ms.toFixed(0)} ms`);

    const bearer = await bearerFor(db, bob);
    const api = await timed(async () => app.request('/api/recommendations', { headers: { authorization: bearer } }));
    assert.equal(api.out.status, 200);
    assert.equal(api.out.headers.get('retry-after'), String(PREPARING_RETRY_SECONDS));
    const body = (await api.out.json()) as { preparing: boolean; recommendations: unknown[] };
    assert.equal(body.preparing, true);
    assert.deepEqual(body.recommendations, []);
    assert.ok(api.ms < 1000, `the cold API answered in ${api.ms.toFixed(0)} ms`);

    // A feed reader keeps what it has and retries, instead of caching an empty feed.
    const feedUrl = forYouFeedUrl(await settingsOf(db, dan.id));
    const feed = await app.request(feedUrl);
    assert.equal(feed.status, 503);
    assert.equal(feed.headers.get('retry-after'), String(PREPARING_RETRY_SECONDS));
    assert.equal(feed.headers.get('cache-control'), 'no-store');

    // The start-up work and the retrains the requests started, then the reload.
    await prepareRecommendations(db, now());
    await trainingSettled(db);
    const again = await reloaded(adaBrowser, '/for-you');
    assert.ok(again.reloads <= 2, `listed after ${again.reloads} reloads`);
    assert.doesNotMatch(again.body, /http-equiv="refresh"/);
    assert.match(again.body, /<li class="paper-item"/);
    assert.match((await reloaded(cydBrowser, '/for-you/model')).body, /diffusion|protein/);
    const listed = await app.request('/api/recommendations', { headers: { authorization: bearer } });
    assert.equal(listed.headers.get('retry-after'), null);
    assert.ok(((await listed.json()) as { recommendations: unknown[] }).recommendations.length > 0);
    let fed = await app.request(feedUrl);
    for (let n = 0; fed.status === 503 && n < 50; n++) await new Promise((r) => setTimeout(r, 100)), (fed = await app.request(feedUrl));
    assert.equal(fed.status, 200);
    assert.match(await fed.text(), /<entry>/);
  });

  test('a reader who just voted waits for the retrain their vote started: the first page already lists', async () => {
    await prepareRecommendations(db, now());
    const eve = await addTestUser(db, 'eve@example.org');
    const browser = await browserOf(eve);
    const ids = await db.kysely.selectFrom('papers').select('id').orderBy('id').limit(3).execute();
    for (const { id } of ids) assert.equal((await browser.post(`/papers/id/${id}/vote`, { vote: '1' })).res.status, 303);
    const page = await browser.get('/for-you');
    assert.doesNotMatch(page.body, /being prepared/);
    assert.match(page.body, /<li class="paper-item"/);
  });
});
