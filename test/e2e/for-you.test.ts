/**
 * For you in Chromium on the demo store with a seeded reader (five diffusion papers upvoted, two saved):
 * cards with their reasons in words, "not interested" gone on the next load, "more like this" becoming a
 * seed, the learned-model page with its terms and seed papers, "don't use this paper", and the reset.
 * With PAPERBOY_SCREENSHOTS=DIR the pages are saved there (`npm run screenshots:recommend` writes
 * docs/screenshots). Skipped without Chromium, except in CI.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { upsertPapers } from '../../src/collections/collections.repo.ts';
import { createCollection } from '../../src/collections/collections.service.ts';
import { setVote } from '../../src/community/votes.service.ts';
import { loadConfig } from '../../src/config.ts';
import { type Db, migrate, openDb } from '../../src/db/database.ts';
import { loadDemoIfEmpty } from '../../src/demo/load-demo.ts';
import { runEmbeddingJob } from '../../src/embed/embed.service.ts';
import { getEmbedder } from '../../src/embed/embedder.ts';
import { sessionCookieName } from '../../src/http/auth.ts';
import { type RunningServer, startServer } from '../../src/http/server.ts';
import { termWords } from '../../src/recommend/reasons.ts';
import { prepareRecommendations, recommendationsFor } from '../../src/recommend/recommend.service.ts';
import { addTestUser, sessionCookieFor } from '../accounts-fixtures.ts';
import { freePort } from '../nginx.ts';
import { chromiumMissing, inCi, launchChromium } from './chromium.ts';

const missing = chromiumMissing();
if (missing && inCi) test('browser tests', () => assert.fail(`CI must run the browser tests, but ${missing}`));

const SHOTS = process.env.PAPERBOY_SCREENSHOTS;

describe('For you in Chromium', { skip: missing && !inCi ? `skipped: ${missing}` : missing ? true : false }, () => {
  let dir: string;
  let db: Db;
  let server: RunningServer;
  let site: string;
  let browser: Browser;
  let cookie: { name: string; value: string };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'paperboy-e2e-for-you-'));
    db = openDb({ sqliteFile: path.join(dir, 'paperboy.sqlite') });
    await migrate(db);
    await loadDemoIfEmpty(db);
    const port = await freePort();
    site = `http://localhost:${port}`;
    const config = { ...loadConfig({}), logLevel: 'silent' as const, host: '127.0.0.1', port, publicBaseUrl: site };
    const embedder = await getEmbedder(config);
    await runEmbeddingJob(db, embedder);
    await embedder.close?.();
    const reader = await addTestUser(db, 'reader@example.org');
    const diffusion = await db.kysely.selectFrom('papers').select('id').where('title', 'like', '%iffusion%').orderBy('id').limit(7).execute();
    assert.equal(diffusion.length, 7, 'the demo store has diffusion papers to seed with');
    for (const p of diffusion.slice(0, 5)) await setVote(db, reader, p.id, true);
    const saved = await createCollection(db, reader, { name: 'Generative models', visibility: 'private' });
    assert.notEqual(saved, 'too-many');
    if (saved !== 'too-many') await upsertPapers(db.kysely, saved.id, diffusion.slice(5).map((p) => ({ paperId: p.id })), new Date().toISOString());
    // As a warm server has them: the start-up work and the reader's first model.
    await prepareRecommendations(db);
    await recommendationsFor(db, reader.id, { days: 7, limit: 30, waitMs: Infinity });
    server = await startServer(config, db);
    cookie = { name: sessionCookieName(config), value: (await sessionCookieFor(db, config, reader)).split('=')[1] };
    browser = await launchChromium();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signedIn(width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    await context.addCookies([{ ...cookie, url: site, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (err) => assert.fail(`script error on ${page.url()}: ${err.message}`));
    return page;
  }
  async function shot(page: Page, name: string) {
    if (!SHOTS) return;
    const width = page.viewportSize()!.width;
    const full = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(full, 2000) } });
  }
  const cardIds = (page: Page) => page.locator('li.paper-item').evaluateAll((els) => els.map((e) => e.id));
  const cardTitle = (page: Page, id: string) => page.locator(`#${id} h2`).first().innerText();

  test('cards give their reasons in words; "not interested" is gone on the next load; "more like this" becomes a seed', async () => {
    const page = await signedIn();
    await page.goto(`${site}/for-you`);
    const ids = await cardIds(page);
    assert.ok(ids.length >= 5, `${ids.length} cards`);
    const why = await page.locator(`#${ids[0]} .reasons`).innerText();
    assert.match(why, /you upvoted|you saved|matches/, why);
    assert.ok(await page.locator(`#${ids[0]}`).getByRole('button', { name: /don’t use/ }).count(), 'the reason can be left out');
    for (const line of await page.locator('.reasons li').allInnerTexts()) {
      const quoted = line.startsWith('matches') ? [...line.split('don’t use')[0].matchAll(/“([^”]+)”/g)].map((m) => termWords(m[1])) : [];
      const words = quoted.flat();
      assert.equal(new Set(words).size, words.length, `three different terms, not forms of one: ${line}`);
    }
    await shot(page, 'for-you-desktop');

    // The card's reading button (sent in place by app.js), then the next load.
    await page.locator(`#${ids[0]}`).getByRole('button', { name: 'Not interested' }).first().click();
    await page.locator(`#${ids[0]} button[aria-pressed="true"]`).first().waitFor();
    await page.reload();
    assert.ok(!(await cardIds(page)).includes(ids[0]), 'a paper marked not interested is gone on the next load');

    const liked = (await cardIds(page))[0];
    const likedTitle = await cardTitle(page, liked);
    await page.locator(`#${liked}`).getByRole('button', { name: 'More like this' }).click();
    await page.waitForURL(`${site}/for-you`);
    await page.goto(`${site}/for-you/model`);
    assert.match(await page.locator('.learned').innerText(), new RegExp(likedTitle.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the paper asked more of is a seed');
    const phone = await signedIn(390);
    await phone.goto(`${site}/for-you`);
    await shot(phone, 'for-you-phone');
    await phone.context().close();
    await page.context().close();
  });

  test('the learned-model page lists terms and seed papers; "don’t use this paper", "use again" and the reset change it', async () => {
    const page = await signedIn();
    await page.goto(`${site}/for-you/model`);
    const learned = page.locator('.learned');
    const terms = await learned.locator('h2:has-text("Terms that count for a paper") + p').innerText();
    assert.notEqual(terms, 'None yet.');
    assert.match(terms, /diffusion/i, terms);
    const against = await learned.locator('h2:has-text("Terms that count against") + p').innerText();
    const forms = (list: string) => new Set(list.split(', ').map((t) => termWords(t).join(' ')));
    const both = [...forms(terms)].filter((t) => forms(against).has(t));
    assert.deepEqual(both, [], 'no term counts both for and against');
    const seeds = learned.locator('h2:has-text("Seed papers") + ul > li');
    const before = await seeds.count();
    assert.ok(before >= 7, `${before} seed papers`);

    const first = await seeds.first().locator('a').innerText();
    await seeds.first().getByRole('button', { name: 'don’t use this paper' }).click();
    await page.waitForURL(`${site}/for-you/model`);
    assert.equal(await seeds.count(), before - 1);
    assert.ok(!(await seeds.locator('a').allInnerTexts()).includes(first), 'the paper left out is no longer a seed');
    const never = learned.locator('ul.never-used > li', { hasText: first });
    assert.equal(await never.count(), 1, 'listed by title under "Never used"');
    await shot(page, 'for-you-model-desktop');
    await never.getByRole('button', { name: 'use again' }).click();
    await page.waitForURL(`${site}/for-you/model`);
    assert.equal(await seeds.count(), before, '"use again" makes it a seed again');
    assert.equal(await learned.locator('h2:has-text("Never used") + p').innerText(), 'Nothing.');

    await page.getByRole('button', { name: /Reset/ }).click();
    await page.waitForURL(`${site}/for-you/model`);
    assert.equal(await seeds.count(), 0, 'the reset forgets the seeds');
    assert.equal(await learned.locator('h2:has-text("Terms that count for a paper") + p').innerText(), 'None yet.');
    await page.context().close();
  });
});
