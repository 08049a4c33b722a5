/**
 * The search page's controls in Chromium, with and without JavaScript: mode, order, dates, several
 * categories, operators and their notes, counts, the last page and past it; and the spelling suggestion and
 * closest papers once search.service.ts answers them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Db } from '../../src/db/database.ts';
import type { RunningServer } from '../../src/http/server.ts';
import type { PaperRecord } from '../../src/papers/paper.ts';
import { termIndexFor } from '../../src/search/terms/handle.ts';
import { chromiumMissing, inCi, launchChromium } from './chromium.ts';
import { startTestSite, type TestSite } from './test-site.ts';

const missing = chromiumMissing();
if (missing && inCi) {
  test('search browser tests', () => assert.fail(`CI must run the browser tests, but ${missing}`));
}

const paper = (title: string, announcedOn: string, categories: string[], upvotes = 0, abstract = `About ${title.toLowerCase()}.`): PaperRecord => ({
  source: 'hf-daily',
  title,
  abstract,
  authors: ['Ada Lovelace'],
  categories,
  announcedOn,
  upvotes,
});

const records: PaperRecord[] = [
  paper('Robotics with diffusion policies', '2026-11-20', ['cs.RO'], 5),
  // Enough papers with "robotics" for it to be a word of the store's vocabulary (a suggestion needs 3).
  paper('Warehouse robotics at scale', '2026-11-03', ['cs.RO'], 0, 'Robotics for logistics.'),
  paper('Surgical robotics survey', '2026-11-04', ['cs.RO'], 0, 'Robotics in the operating room.'),
  paper('Diffusion for images', '2026-11-19', ['cs.CV'], 50),
  paper('Diffusion for language', '2026-11-23', ['cs.CL'], 1),
  paper('Diffusion in old times', '2025-01-10', ['cs.CV'], 0, 'On noise schedules, long ago.'),
  ...Array.from({ length: 35 }, (_, i) => paper(`Sampling study ${i + 1}`, '2026-11-02', ['cs.LG'])),
];

describe('search controls in Chromium', { skip: missing && !inCi ? `skipped: ${missing}` : missing ? true : false }, () => {
  let site: TestSite;
  let db: Db;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let noJs: BrowserContext;
  const problems: string[] = [];

  before(async () => {
    site = await startTestSite('search', records);
    ({ db, server } = site);
    await termIndexFor(db).ready(); // the vocabulary spelling suggestions come from, as a server has it after start
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    noJs = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    assert.deepEqual(problems, [], 'console errors, page errors or dialogs');
  });

  async function open(url: string, ctx = context): Promise<Page> {
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    // A page past the end is a 404, which Chromium reports on the console; nothing else may be.
    page.on('console', (m) => m.type() === 'error' && !/404/.test(m.text()) && problems.push(`console: ${m.text()} (${page.url()})`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(`${server.url}${url}`);
    return page;
  }

  const form = (page: Page) => page.locator('main form.search-form');
  const titles = (page: Page) => page.locator('.paper-item h2 a').allTextContents();

  for (const [name, ctx] of [['with JavaScript', () => context], ['without JavaScript, on a phone', () => noJs]] as const) {
    test(`mode, order, a date range and two categories, chosen in the form (${name})`, async () => {
      const page = await open('/search', ctx());
      await form(page).getByLabel('Words to find').fill('diffusion');
      await form(page).getByLabel('Match').selectOption('keyword');
      await form(page).getByLabel('Order').selectOption('newest');
      await form(page).getByLabel('Listed from').fill('2026-11-01');
      await form(page).getByLabel('Listed until').fill('2026-11-30');
      await form(page).locator('summary').click();
      await form(page).getByRole('checkbox', { name: 'cs.CV' }).check();
      await form(page).getByRole('checkbox', { name: 'cs.RO' }).check();
      await form(page).getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/cat=cs.RO/);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('mode'), 'keyword');
      assert.equal(url.searchParams.get('sort'), 'newest');
      assert.deepEqual(url.searchParams.getAll('cat').sort(), ['cs.CV', 'cs.RO']);
      assert.deepEqual(await titles(page), ['Robotics with diffusion policies', 'Diffusion for images']);
      assert.match((await page.locator('.stats').textContent()) ?? '', /^2 papers match “diffusion”$/);
      // The choices stay chosen; a chip takes one category away.
      assert.equal(await form(page).getByLabel('Match').inputValue(), 'keyword');
      assert.equal(await form(page).getByRole('checkbox', { name: 'cs.CV' }).isChecked(), true);
      await page.getByRole('link', { name: 'Remove filter Category: cs.CV' }).click();
      assert.deepEqual(await titles(page), ['Robotics with diffusion policies']);
      await form(page).getByLabel('Order').selectOption('upvotes');
      await form(page).getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/sort=upvotes/);
      assert.deepEqual(await titles(page), ['Robotics with diffusion policies']);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= (page.viewportSize()?.width ?? 1280), `the page is ${width}px wide`);
      await page.close();
    });
  }

  test('title: and abstract: are in the help; an operator search does not know is a visible note', async () => {
    const page = await open('/search');
    assert.match((await page.locator('#syntax').textContent()) ?? '', /title:diffusion/);
    await form(page).getByLabel('Words to find').fill('abstract:schedules');
    await form(page).getByLabel('Words to find').press('Enter');
    await page.waitForURL(/abstract/);
    assert.deepEqual(await titles(page), ['Diffusion in old times']);
    await form(page).getByLabel('Words to find').fill('venue:neurips');
    await form(page).getByLabel('Words to find').press('Enter');
    await page.waitForURL(/venue/);
    assert.match((await page.locator('.notice').textContent()) ?? '', /venue: is not an operator/);
    assert.ok(await page.locator('.notice').isVisible());
    assert.match((await page.getByRole('heading', { level: 2 }).first().textContent()) ?? '', /No papers match/);
    await page.close();
  });

  test('counts, the last page, and past it a page that leads back to the last one', async () => {
    const page = await open('/search?q=sampling');
    assert.match((await page.locator('.stats').textContent()) ?? '', /^35 papers match “sampling”$/);
    await page.getByRole('link', { name: 'Page 2, the last' }).click();
    assert.equal(await page.locator('.paper-item').count(), 5);
    await page.goto(`${server.url}/search?q=sampling&page=9`);
    assert.equal(await page.locator('h1').textContent(), 'Past the last page');
    await page.getByRole('link', { name: 'Go to the last page (2)' }).click();
    assert.match(page.url(), /page=2$/);
    assert.equal(await page.locator('.paper-item').count(), 5);
    await page.close();
  });

  test('a misspelled word: "Did you mean", applied, with a link back to the query as written', async () => {
    const page = await open('/search?q=robotcs');
    assert.match((await page.locator('.suggestion').textContent()) ?? '', /Showing papers for “robotics”: no paper has “robotcs”\./);
    assert.deepEqual((await titles(page)).sort(), ['Robotics with diffusion policies', 'Surgical robotics survey', 'Warehouse robotics at scale']);
    await page.getByRole('link', { name: 'Search for “robotcs” as written' }).click();
    assert.match(page.url(), /literal=1/);
    assert.match((await page.getByRole('heading', { level: 2 }).first().textContent()) ?? '', /No papers match “robotcs”/);
    await page.close();
  });

  test('nothing matches: the closest papers, not called matches', async () => {
    // No paper has both words: the ones with one of them are the closest.
    const page = await open('/search?q=robotics+sampling');
    const stats = (await page.locator('.stats').textContent()) ?? '';
    assert.match(stats, /^No (papers match|paper has every word of) “.*”; the closest (are|have some of them):$/);
    assert.ok((await page.locator('.paper-item').count()) > 0);
    await page.close();
  });
});
