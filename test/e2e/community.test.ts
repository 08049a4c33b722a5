/**
 * The community signals in Chromium, signed in with a real session cookie: upvote from a list (in place with
 * JavaScript, and by the plain form without it), submit a paper from the local arXiv stand-in (the captured
 * API responses), follow an author and read the Following page, mark a paper read and hide what was seen.
 * With PAPERBOY_SCREENSHOTS=DIR each state is also saved there (`npm run screenshots:community` writes
 * docs/screenshots). Skipped without Chromium, except in CI.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { User } from '../../src/accounts/user.ts';
import { type Db, migrate, openDb } from '../../src/db/database.ts';
import { sessionCookieName } from '../../src/http/auth.ts';
import { type RunningServer, startServer } from '../../src/http/server.ts';
import { addTestUser, sessionCookieFor } from '../accounts-fixtures.ts';
import { type ArxivStandIn, startArxivStandIn } from '../arxiv-stand-in.ts';
import { addFixturePapers, DAY2, mailTestConfig } from '../mail-fixtures.ts';
import { freePort } from '../nginx.ts';
import { chromiumMissing, inCi, launchChromium } from './chromium.ts';

const missing = chromiumMissing();
if (missing && inCi) test('browser tests', () => assert.fail(`CI must run the browser tests, but ${missing}`));

const SHOTS = process.env.PAPERBOY_SCREENSHOTS;

describe('community signals in Chromium', { skip: missing && !inCi ? `skipped: ${missing}` : missing ? true : false }, () => {
  let dir: string;
  let db: Db;
  let server: RunningServer;
  let arxiv: ArxivStandIn;
  let site: string;
  let browser: Browser;
  let ada: User;
  const config = () => {
    const base = mailTestConfig({ dataDir: dir });
    return { ...base, sources: { ...base.sources, arxivApiUrl: arxiv.apiUrl, arxivIntervalMs: 0 } };
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'paperboy-e2e-community-'));
    db = openDb({ sqliteFile: path.join(dir, 'paperboy.sqlite') });
    await migrate(db);
    await addFixturePapers(db);
    arxiv = await startArxivStandIn();
    const port = await freePort();
    site = `http://localhost:${port}`;
    server = await startServer({ ...config(), host: '127.0.0.1', port, publicBaseUrl: site }, db);
    ada = await addTestUser(db, 'ada@example.org');
    await db.kysely.updateTable('users').set({ display_name: 'Ada Lovelace' }).where('id', '=', ada.id).execute();
    browser = await launchChromium();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await arxiv?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A browser signed in as Ada: her session cookie, as the sign-in pages would have set it. */
  async function signedIn(options: { javaScript?: boolean; width?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, javaScriptEnabled: options.javaScript ?? true });
    const value = (await sessionCookieFor(db, { publicBaseUrl: site }, ada)).split('=')[1];
    await context.addCookies([{ name: sessionCookieName({ publicBaseUrl: site }), value, url: site, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (err) => assert.fail(`script error on ${page.url()}: ${err.message}`));
    return { context, page };
  }
  async function shot(page: Page, name: string) {
    if (!SHOTS) return;
    const full = await page.evaluate(() => document.documentElement.scrollHeight);
    const width = page.viewportSize()!.width;
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(full, 2000) } });
  }
  const card = (page: Page, arxivId: string) => page.locator('.paper-item', { has: page.locator(`h2 a[href="/papers/${arxivId}"]`) });
  const localVotes = async (arxivId: string) => (await db.kysely.selectFrom('papers').select('local_votes').where('arxiv_id', '=', arxivId).executeTakeFirstOrThrow()).local_votes;

  test('upvote from a list: in place with JavaScript, the page staying where it is', async () => {
    const { context, page } = await signedIn();
    await page.goto(`${site}/day/${DAY2}`);
    const item = card(page, '2607.00101');
    const vote = item.locator('button.vote-button');
    assert.equal(await vote.getAttribute('aria-pressed'), 'false');
    assert.equal(await item.locator('.vote-count').textContent(), '96');
    const before = page.url();
    await vote.click();
    await item.locator('button.vote-button[aria-pressed="true"]').waitFor();
    assert.equal(await item.locator('.vote-count').textContent(), '97');
    assert.equal(page.url(), before, 'no navigation');
    assert.equal(await localVotes('2607.00101'), 1);
    await shot(page, 'community-voted-desktop');
    await vote.click();
    await item.locator('button.vote-button[aria-pressed="false"]').waitFor();
    assert.equal(await item.locator('.vote-count').textContent(), '96');
    assert.equal(await localVotes('2607.00101'), 0);
    await context.close();
  });

  test('upvote without JavaScript: the plain form posts and comes back to the card', async () => {
    const { context, page } = await signedIn({ javaScript: false });
    await page.goto(`${site}/day/${DAY2}`);
    const item = card(page, '2607.00102');
    await Promise.all([page.waitForNavigation(), item.locator('button.vote-button').click()]);
    assert.match(page.url(), new RegExp(`/day/${DAY2}#paper-\\d+$`));
    const after = card(page, '2607.00102');
    assert.equal(await after.locator('button.vote-button').getAttribute('aria-pressed'), 'true');
    assert.equal(await after.locator('.vote-count').textContent(), '92');
    assert.equal(await localVotes('2607.00102'), 1);
    await context.close();
  });

  test('submit a paper from the arXiv stand-in; it is a community pick of the day, "submitted by" its submitter', async () => {
    const { context, page } = await signedIn();
    await page.goto(site);
    await page.getByRole('link', { name: 'Submit' }).click();
    assert.equal(new URL(page.url()).pathname, '/submit');
    await shot(page, 'community-submit-desktop');
    await page.getByLabel('arXiv id or address').fill('https://arxiv.org/abs/2206.06921v3');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('status').waitFor();
    assert.match((await page.getByRole('status').textContent()) ?? '', /Added from arXiv: arXiv:2206\.06921 — submitted by Ada Lovelace/);
    assert.deepEqual(arxiv.asked(), ['2206.06921']);
    await shot(page, 'community-submitted-desktop');
    await page.getByRole('link', { name: 'arXiv:2206.06921' }).click();
    assert.match((await page.locator('.paper .meta').textContent()) ?? '', /Submitted by Ada Lovelace/);
    assert.match((await page.locator('.vote-breakdown').textContent()) ?? '', /0 on Hugging Face · 0 here/);
    await page.locator('.paper-actions button.vote-button').click();
    await page.waitForFunction(() => document.querySelector('.vote-breakdown')?.textContent?.includes('1 here'));
    await shot(page, 'community-paper-desktop');
    // The home page is the newest listing day, whose picks run until the next listing: the paper is among them.
    await page.goto(site);
    const picks = page.locator('section.picks');
    assert.match((await picks.textContent()) ?? '', /Attainable forms of Assouad spectra/);
    assert.match((await picks.textContent()) ?? '', /submitted by Ada Lovelace/);
    await shot(page, 'community-picks-desktop');
    await context.close();
  });

  test('follow an author from their page and see their new papers on the Following page', async () => {
    const { context, page } = await signedIn();
    await page.goto(`${site}/papers/2607.00107`);
    await page.getByRole('link', { name: 'Alan Turing' }).click();
    const follow = page.locator('.period-head button.follow-button');
    assert.equal(await follow.textContent(), 'Follow');
    await follow.click();
    await page.waitForFunction(() => document.querySelector('.period-head button.follow-button')?.getAttribute('aria-pressed') === 'true');
    assert.equal(await follow.textContent(), '✓ Following');
    await shot(page, 'community-author-followed-desktop');
    await page.getByRole('link', { name: 'Following' }).click();
    assert.equal(new URL(page.url()).pathname, '/following');
    assert.match((await page.locator('.follow-list').textContent()) ?? '', /Alan Turing/);
    const titles = await page.locator('.paper-item h2 a').allTextContents();
    assert.deepEqual(titles, ['Paper 107 on graph learning', 'Paper 7 on graph learning']);
    // A category too, by the form on the page (no JavaScript needed).
    await page.getByLabel('Follow a category or archive').fill('cs.CL');
    await page.locator('.follow-category button').click();
    await page.waitForURL(`${site}/following`);
    assert.match((await page.locator('.follow-list').textContent()) ?? '', /cs\.CL/);
    assert.ok((await page.locator('.paper-item').count()) > 2);
    await shot(page, 'community-following-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'community-following-phone');
    await context.close();
  });

  test('mark a paper read, then hide the papers I have seen', async () => {
    const { context, page } = await signedIn();
    await page.goto(`${site}/day/${DAY2}`);
    const item = card(page, '2607.00103');
    await item.getByRole('button', { name: 'Mark read' }).click();
    await item.getByRole('button', { name: '✓ Read' }).waitFor();
    const other = card(page, '2607.00104');
    await other.getByRole('button', { name: 'Not interested' }).click();
    await other.getByRole('button', { name: '✓ Not interested' }).waitFor();
    await shot(page, 'community-read-desktop');
    await page.getByRole('link', { name: 'Hide papers I have seen' }).click();
    assert.match(page.url(), /hide=read/);
    assert.equal(await card(page, '2607.00103').count(), 0, 'the read paper is hidden');
    assert.equal(await card(page, '2607.00104').count(), 0, 'so is the one not of interest');
    assert.equal(await card(page, '2607.00105').count(), 1);
    assert.match((await page.locator('.hide-seen').textContent()) ?? '', /are hidden/);
    // On this list, marking a paper read lets its card go at once.
    await card(page, '2607.00105').getByRole('button', { name: 'Mark read' }).click();
    await card(page, '2607.00105').waitFor({ state: 'hidden' });
    await shot(page, 'community-hide-read-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await shot(page, 'community-hide-read-phone');
    await page.getByRole('link', { name: 'Show them' }).click();
    assert.equal(await card(page, '2607.00103').count(), 1);
    await context.close();
  });
});
