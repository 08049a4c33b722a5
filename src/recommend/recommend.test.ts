import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser, bearerFor, sessionCookieFor } from '../../test/accounts-fixtures.ts';
import { BrowserClient } from '../../test/browser-client.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { mailTestConfig } from '../../test/mail-fixtures.ts';
import type { User } from '../accounts/user.ts';
import { loadConfig } from '../config.ts';
import { createCollection } from '../collections/collections.service.ts';
import { openDb, type Db } from '../db/database.ts';
import { createApp } from '../http/app.ts';
import { addRecords } from '../papers/papers.service.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { forgetStoreContext, prepareRecommendations, recommendationsFor, readerModel, setRecommendWait, storeContext, trainingSettled } from './recommend.service.ts';
import { getModelRow, insertVocabulary, latestVocabulary } from './recommend.repo.ts';
import { RETRAIN_WAIT_MS } from './serving.ts';

// Recommendations are on by default (config.ts#RECOMMENDATIONS).
const config = mailTestConfig();
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
    // As `paperboy serve` does at start-up: the store's context and the default pool are built before the first page.
    await prepareRecommendations(db, now());
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
    assert.equal((await browser.post(`/papers/id/${first}/reading`, { state: 'dismissed', back: '/for-you' })).res.headers.get('location'), `/for-you#paper-${first}`);
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

  test('a page load after a vote waits for the retrain at most the bound: at 0 it ranks with the stored model (with what the reader hid since), the load after with the new one', async () => {
    const carol = await addTestUser(db, 'carol@example.org');
    const browser = await signedIn(carol);
    const vote = (n: number) => browser.post(`/papers/id/${id[`2607.${String(n).padStart(5, '0')}`]}/vote`, { vote: '1' });
    for (const n of [13, 14, 15]) await vote(n);
    const proteins = shown((await browser.get('/for-you')).body);
    assert.deepEqual(proteins.slice(0, 4).map(topicOf), ['protein', 'protein', 'protein', 'protein'], 'the default bound: the vote shows at once');
    const stored = (await getModelRow(db.kysely, carol.id, ''))!;
    // Never wait for the worker: the retrain these votes start cannot be part of the next load.
    setRecommendWait(db, 0);
    try {
      for (const n of [25, 26, 27, 28, 29, 30, 31, 32]) await vote(n);
      await browser.post(`/papers/id/${proteins[0]}/reading`, { state: 'dismissed', back: '/for-you' });
      assert.deepEqual(shown((await browser.get('/for-you')).body), proteins.slice(1), 'ranked with the stored model, not waiting for the retrain; "not interested" applies at once');
      await trainingSettled(db);
      assert.notEqual((await getModelRow(db.kysely, carol.id, ''))!.fingerprint, stored.fingerprint, 'retrained and stored in the background');
      const next = shown((await browser.get('/for-you')).body);
      assert.equal(topicOf(next[0]), 'robots', 'the load after shows the votes');
    } finally {
      setRecommendWait(db, RETRAIN_WAIT_MS);
    }
  });

  test('two instances on one database: the vocabulary and the stored model are shared, a retrain on one shows on the other', async () => {
    const dave = await addTestUser(db, 'dave@example.org');
    const browser = await signedIn(dave);
    const vote = (n: number) => browser.post(`/papers/id/${id[`2607.${String(n).padStart(5, '0')}`]}/vote`, { vote: '1' });
    for (const n of [1, 2, 3]) await vote(n);
    const onA = shown((await browser.get('/for-you')).body);
    const other = openDb(db.target);
    try {
      assert.equal((await storeContext(other)).vocabularyId, (await storeContext(db)).vocabularyId);
      await prepareRecommendations(other);
      const trainedAt = (await getModelRow(db.kysely, dave.id, ''))!.trained_at;
      const onB = await recommendationsFor(other, dave.id, { days: 7, limit: 30, now: new Date() });
      assert.deepEqual(onB.items.map((i) => i.paper.id), onA, 'the other instance ranks with the stored model');
      assert.equal((await getModelRow(db.kysely, dave.id, ''))!.trained_at, trainedAt, 'and does not train it again');
      for (const n of [25, 26, 27, 28, 29, 30, 31, 32]) await vote(n);
      const retrained = shown((await browser.get('/for-you')).body);
      assert.equal(topicOf(retrained[0]), 'robots');
      const after = await recommendationsFor(other, dave.id, { days: 7, limit: 30, now: new Date() });
      assert.deepEqual(after.items.map((i) => i.paper.id), retrained, 'the model the first instance retrained, not the one the other had parsed');
    } finally {
      forgetStoreContext(other);
      await other.close();
    }
  });

  test('a vocabulary an older version fitted under other options is fitted again, and the page ranks under the new one', async () => {
    const row = (await latestVocabulary(db.kysely))!;
    const { fit, ...older } = JSON.parse(row.body) as { fit?: unknown };
    assert.ok(fit, 'this version stores the options it fitted under');
    await db.kysely.deleteFrom('recommend_vocabularies').execute();
    await insertVocabulary(db.kysely, { id: 'older0000000', body: JSON.stringify(older), papers: row.papers, created_at: row.created_at });
    forgetStoreContext(db);
    const state = await storeContext(db);
    assert.notEqual(state.vocabularyId, 'older0000000');
    assert.equal((await latestVocabulary(db.kysely))!.id, state.vocabularyId);
    await prepareRecommendations(db, now());
    const erin = await addTestUser(db, 'erin@example.org');
    const browser = await signedIn(erin);
    for (const n of [1, 2, 3]) await browser.post(`/papers/id/${id[`2607.${String(n).padStart(5, '0')}`]}/vote`, { vote: '1' });
    assert.equal(topicOf(shown((await browser.get('/for-you')).body)[0]), 'diffusion');
    assert.equal((await getModelRow(db.kysely, erin.id, ''))!.vocabulary_id, state.vocabularyId);
  });

  test('RECOMMENDATIONS is on by default', () => {
    assert.equal(config.recommendations, true);
    assert.equal(loadConfig({}).recommendations, true);
    assert.equal(loadConfig({ RECOMMENDATIONS: 'off' }).recommendations, false);
  });

  test('with RECOMMENDATIONS=off the pages, feeds and API are not there and the header does not link them', async () => {
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
