import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser, bearerFor, sessionCookieFor } from '../../test/accounts-fixtures.ts';
import { BrowserClient } from '../../test/browser-client.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { mailTestConfig } from '../../test/mail-fixtures.ts';
import type { User } from '../accounts/user.ts';
import { createCollection } from '../collections/collections.service.ts';
import type { Db } from '../db/database.ts';
import { createApp } from '../http/app.ts';
import { addRecords } from '../papers/papers.service.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { forgetStoreContext, recommendationsFor, readerModel } from './recommend.service.ts';
import { getModelRow } from './recommend.repo.ts';

// Recommendations are off by default (config.ts#RECOMMENDATIONS): these tests are of a store that turned them on.
const config = { ...mailTestConfig(), recommendations: true };
const TOPICS = {
  diffusion: ['diffusion', 'denoising', 'image', 'generation', 'sampler', 'latent', 'guidance', 'score'],
  protein: ['protein', 'folding', 'residue', 'structure', 'molecular', 'binding', 'enzyme', 'sequence'],
  robots: ['robot', 'grasping', 'manipulation', 'policy', 'control', 'locomotion', 'tactile', 'planning'],
} as const;
const OLD = '2026-06-01';
const NEW = '2026-07-03';

/** Papers on three topics: eight old ones each (the reader's signals) and four new ones each (the candidates). */
function topicalPapers(): PaperRecord[] {
  const out: PaperRecord[] = [];
  let n = 0;
  for (const [topic, words] of Object.entries(TOPICS)) {
    for (let i = 0; i < 12; i++) {
      n++;
      const w = (k: number) => words[(i + k) % words.length];
      const day = i < 8 ? OLD : NEW;
      out.push({
        source: 'arxiv-atom',
        arxivId: `2607.${String(n).padStart(5, '0')}v1`,
        title: `${w(0)} ${w(1)} with ${w(2)} ${topic} ${n}`,
        abstract: `We study ${w(0)} ${w(1)} and ${w(2)} ${w(3)} for ${topic}. Our ${w(4)} ${w(5)} method improves ${w(6)} ${w(7)}.`,
        authors: [`${topic[0].toUpperCase()}${topic.slice(1)} Author${i % 3}`, `Person ${n}`],
        categories: topic === 'diffusion' ? ['cs.CV'] : topic === 'protein' ? ['q-bio.BM'] : ['cs.RO'],
        primaryCategory: topic === 'diffusion' ? 'cs.CV' : topic === 'protein' ? 'q-bio.BM' : 'cs.RO',
        announcedOn: day,
        publishedAt: `${day}T00:00:00Z`,
        upvotes: n,
      });
    }
  }
  return out;
}

describeEachDatabase('recommendations: For you with reasons, steering, the learned model, private feeds, the API', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let ada: User;
  let bob: User;
  const id: Record<string, number> = {};
  const title: Record<number, string> = {};
  const now = () => new Date(`${NEW}T12:00:00Z`);
  const signedIn = async (user: User) => {
    const [name, value] = (await sessionCookieFor(db, config, user)).split('=');
    const browser = new BrowserClient(app, '192.0.2.40');
    browser.setCookie(name, value);
    await browser.get('/for-you');
    return browser;
  };
  const shown = (html: string) => [...html.matchAll(/<li class="paper-item" id="paper-(\d+)"/g)].map((m) => Number(m[1]));
  const topicOf = (paperId: number) => Object.keys(TOPICS).find((t) => title[paperId].includes(` ${t} `))!;

  before(async () => {
    db = await open();
    await addRecords(db, topicalPapers());
    for (const r of await db.kysely.selectFrom('papers').select(['id', 'arxiv_id', 'title']).execute()) {
      id[r.arxiv_id!.replace(/v\d+$/, "")] = r.id;
      title[r.id] = r.title;
    }
    app = createApp({ db, config, cacheTtlMs: 0, now });
    ada = await addTestUser(db, 'ada@example.org');
    bob = await addTestUser(db, 'bob@example.org');
  });
  after(() => db.close());

  test('a new reader gets onboarding; picking a category starts recommendations in it', async () => {
    const browser = await signedIn(bob);
    const page = (await browser.get('/for-you')).body;
    assert.match(page, /Start here/);
    assert.match(page, /name="category" value="cs.RO"/);
    const picked = await browser.post('/for-you/onboarding', { category: 'cs.RO' });
    assert.equal(picked.res.status, 303);
    const list = await recommendationsFor(db, bob.id, { days: 7, limit: 5, now: now() });
    assert.equal(list.needsOnboarding, false);
    assert.ok(list.items.length > 0);
    assert.equal(topicOf(list.items[0].paper.id), 'robots');
    assert.match(list.items[0].why, /in cs\.RO, which you follow/);
  });

  test('votes and saves make For you: new papers of that topic first, each with its reason in words', async () => {
    const browser = await signedIn(ada);
    for (const n of [1, 2, 3]) assert.equal((await browser.post(`/papers/id/${id[`2607.${String(n).padStart(5, "0")}`]}/vote`, { vote: '1' })).res.status, 303);
    const page = await browser.get('/for-you');
    assert.equal(page.res.status, 200);
    assert.match(page.res.headers.get('cache-control') ?? '', /private, no-store/);
    const ids = shown(page.body);
    assert.ok(ids.length >= 4);
    assert.deepEqual(ids.slice(0, 4).map(topicOf), ['diffusion', 'diffusion', 'diffusion', 'diffusion']);
    assert.match(page.body, /like <a href="[^"]+">“[^<]*diffusion[^<]*”<\/a> you upvoted/);
    assert.match(page.body, /More like this/);
    assert.match(page.body, /Not interested/, 'the card’s own reading button');
    assert.match(page.body, /don’t use this paper/);
    // The model is stored, so another instance on this database ranks with it too.
    assert.ok(await getModelRow(db.kysely, ada.id, ''));
  });

  test('"not interested" and "don’t use this term" change the next page load; the model page lists what was learned; reset forgets', async () => {
    const browser = await signedIn(ada);
    const first = shown((await browser.get('/for-you')).body)[0];
    const before = (await getModelRow(db.kysely, ada.id, ''))!.fingerprint;
    assert.equal((await browser.post(`/papers/id/${first}/reading`, { state: 'dismissed', back: '/for-you' })).res.headers.get('location'), '/for-you');
    const next = shown((await browser.get('/for-you')).body);
    assert.ok(!next.includes(first), 'a paper marked not interested is not shown again');
    assert.notEqual((await getModelRow(db.kysely, ada.id, ''))!.fingerprint, before, 'retrained on the next load');
    await browser.post('/for-you/steer', { kind: 'term', value: 'guidance', back: '/for-you' });
    const muted = (await browser.get('/for-you')).body;
    for (const p of shown(muted)) assert.ok(!title[p].toLowerCase().includes('guidance'), `${title[p]} has a muted term`);
    const learned = (await browser.get('/for-you/model')).body;
    assert.match(learned, /Terms that count for a paper/);
    assert.match(learned, /diffusion/);
    assert.match(learned, /“guidance”/);
    assert.equal((await browser.post('/for-you/reset', {})).res.status, 303);
    const model = await readerModel(db, ada.id, undefined, now());
    assert.equal(model.counts.positives, 0, 'reset: older signals no longer used');
    assert.deepEqual(model.mutes.terms, []);
  });

  test('with RECOMMENDATIONS off (the default) the pages, feeds and API are not there and the header does not link them', async () => {
    const off = createApp({ db, config: { ...config, recommendations: false }, cacheTtlMs: 0 });
    const cookie = await sessionCookieFor(db, config, ada);
    for (const path of ['/for-you', '/for-you/model', '/api/recommendations']) assert.equal((await off.request(path, { headers: { cookie } })).status, 404, path);
    assert.doesNotMatch(await (await off.request('/', { headers: { cookie } })).text(), /href="\/for-you"/);
  });

  test('GET /api/recommendations: 401 signed out, the list with reasons by token, another reader’s collection is 404', async () => {
    assert.equal((await app.request('/api/recommendations')).status, 401);
    const auth = { Authorization: await bearerFor(db, bob) };
    const res = await app.request('/api/recommendations?limit=3', { headers: auth });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { recommendations: { paper: { id: number; url: string }; why: string; reasons: { kind: string; text: string }[] }[] };
    assert.equal(body.recommendations.length, 3);
    assert.ok(body.recommendations[0].reasons.length > 0 && body.recommendations[0].why.length > 0);
    assert.equal((await app.request('/api/recommendations?limit=500', { headers: auth })).status, 400);
    const adas = await createCollection(db, ada, { name: 'Mine', visibility: 'private' });
    assert.notEqual(adas, 'too-many');
    const publicId = adas === 'too-many' ? '' : adas.public_id;
    assert.equal((await app.request(`/api/recommendations?collection=${publicId}`, { headers: auth })).status, 404);
  });

  test('the private feed answers with its token only', async () => {
    const browser = await signedIn(bob);
    const page = (await browser.get('/for-you')).body;
    const feed = /href="(\/for-you\/feed\/\d+-[A-Za-z0-9_-]{32}\.atom)"/.exec(page)?.[1];
    assert.ok(feed, 'the page links its private feed');
    const res = await app.request(feed);
    assert.equal(res.status, 200);
    const xml = await res.text();
    assert.match(xml, /<feed/);
    assert.match(xml, /Why: /);
    assert.equal((await app.request(feed.replace(/-[A-Za-z0-9_-]{4}/, '-AAAA'))).status, 404);
    forgetStoreContext(db);
  });
});
