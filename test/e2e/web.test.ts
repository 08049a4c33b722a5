/**
 * Browser tests: the real server on a temp SQLite store, driven through Debian's Chromium. Without
 * Chromium they are skipped with a message, except in CI, where that is a failure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Db } from '../../src/db/database.ts';
import type { RunningServer } from '../../src/http/server.ts';
import type { PaperRecord } from '../../src/papers/paper.ts';
import { chromiumMissing, inCi, launchChromium } from './chromium.ts';
import { startTestSite, type TestSite } from './test-site.ts';

const missing = chromiumMissing();
if (missing && inCi) {
  test('browser tests', () => assert.fail(`CI must run the browser tests, but ${missing}`));
}

const days = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-23'];
const records: PaperRecord[] = [
  ...days.flatMap((day, d) =>
    Array.from({ length: 6 }, (_, i) => ({
      source: 'hf-daily' as const,
      arxivId: `2611.${String(d * 10 + i + 1).padStart(5, '0')}`,
      title: `${['Vision', 'Language', 'Robotics'][i % 3]} paper ${i + 1} of ${day}`,
      abstract: `A study of ${['images', 'words', 'robots'][i % 3]} with $O(n^2)$ cost and $$\\sum_{i=1}^n x_i$$ in the abstract.`,
      authors: [`Author ${i}`, 'Shared Author'],
      categories: [['cs.CV', 'cs.CL', 'cs.RO'][i % 3]],
      announcedOn: day,
      upvotes: (d + 1) * (i + 1),
      ...(i === 0 ? { organization: { name: 'Example Lab', slug: 'example-lab' } } : {}),
    })),
  ),
  {
    source: 'jsonl',
    arxivId: '2611.09999',
    title: 'Hostile <script>alert(1)</script> <img src=x onerror=alert(2)> title',
    abstract: 'Click <a href="javascript:alert(3)">me</a>, <script>alert(4)</script> and <img src=x onerror=alert(5)> and $<img src=x onerror=alert(6)>$.',
    authors: ['<img src=x onerror=alert(7)>'],
    categories: ['cs.CR'],
    announcedOn: '2026-11-23',
    links: { code: 'javascript:alert(8)' },
  },
];

describe('web interface in Chromium', { skip: missing && !inCi ? `skipped: ${missing}` : missing ? true : false }, () => {
  let site: TestSite;
  let db: Db;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  const problems: string[] = [];

  before(async () => {
    site = await startTestSite('web', records);
    ({ db, server } = site);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    assert.deepEqual(problems, [], 'console errors, page errors or dialogs');
  });

  /** A page that records console errors, uncaught errors and dialogs (a dialog would mean injected script ran). */
  async function open(url: string, ctx = context): Promise<Page> {
    const page = await ctx.newPage();
    // Generous: CI and a shared machine can be slow, and the first paper page loads the similarity index.
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()} (${page.url()})`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(`${server.url}${url}`);
    return page;
  }

  test('days and weeks: the newest day, previous/next over the weekend, the week view and the date picker', async () => {
    const page = await open('/');
    assert.equal(await page.locator('h1').textContent(), 'Monday, November 23, 2026');
    await page.getByRole('link', { name: /Nov 20, 2026/ }).first().click();
    assert.match(page.url(), /\/day\/2026-11-20$/);
    assert.equal(await page.locator('.paper-item').count(), 6);
    await page.getByRole('link', { name: 'Week', exact: true }).click();
    assert.match(page.url(), /\/week\/2026-W47$/);
    assert.match((await page.locator('h1').textContent()) ?? '', /Week 47 of 2026/);
    assert.equal(await page.locator('.paper-item').count(), 30);
    await page.getByRole('link', { name: /Week 48, 2026 →/ }).click();
    assert.match(page.url(), /\/week\/2026-W48$/);
    await page.getByLabel('Go to a day').fill('2026-11-21');
    await page.getByRole('button', { name: 'Go' }).click();
    assert.match(page.url(), /\/day\/2026-11-21$/);
    assert.match((await page.locator('main').textContent()) ?? '', /arXiv does not announce new papers on Saturdays/);
    await page.getByRole('link', { name: 'Monday, November 23, 2026' }).first().click();
    assert.match(page.url(), /\/day\/2026-11-23$/);
    await page.close();
  });

  test('a paper page: typeset math, author links, and a working copy button', async () => {
    const page = await open('/day/2026-11-20');
    await page.locator('.paper-item h2 a').first().click();
    assert.match(page.url(), /\/papers\/2611\.000\d\d$/);
    assert.ok((await page.locator('.abstract .katex').count()) >= 2);
    assert.equal(await page.locator('.abstract .katex-display').count(), 1);
    await page.getByRole('button', { name: 'Copy BibTeX' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^@misc\{/);
    await page.getByRole('link', { name: 'Shared Author' }).click();
    assert.match((await page.locator('h1').textContent()) ?? '', /Shared Author/);
    assert.match((await page.locator('.stats').textContent()) ?? '', /36 papers/);
    await page.close();
  });

  test('search from the header box, then filter the results by category', async () => {
    const page = await open('/');
    await page.getByRole('searchbox', { name: 'Search papers' }).fill('robotics');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=robotics/);
    assert.equal(await page.locator('.paper-item').count(), 12);
    assert.equal(await page.locator('.paper-item h2 mark').first().textContent(), 'Robotics');
    await page.locator('summary', { hasText: 'Categories and organizations' }).click();
    await page.getByLabel('Hide category').selectOption('cs.RO');
    await page.getByRole('button', { name: 'Apply' }).click();
    assert.match((await page.getByRole('heading', { level: 2 }).first().textContent()) ?? '', /No papers match/);
    await page.getByRole('link', { name: /Search again without the filters/ }).click();
    assert.equal(await page.locator('.paper-item').count(), 12);
    await page.close();
  });

  test('trending puts high upvotes of recent days first; sorting a day by newest works', async () => {
    const page = await open('/trending');
    const first = await page.locator('.paper-item h2 a').first().textContent();
    assert.equal(first, 'Robotics paper 6 of 2026-11-23');
    await page.getByRole('link', { name: 'Next →' }).click();
    assert.match(page.url(), /\/trending\?page=2$/);
    assert.equal(await page.locator('.paper-item').count(), 7);
    assert.equal(await page.getByRole('link', { name: 'Page 2, current' }).count(), 1);
    const page2 = await open('/day/2026-11-20');
    await page2.getByRole('combobox', { name: 'Sort' }).selectOption('newest');
    await page2.getByRole('button', { name: 'Apply' }).click();
    assert.match(page2.url(), /sort=newest/);
    assert.equal(await page2.locator('.paper-item h2 a').first().textContent(), 'Robotics paper 6 of 2026-11-20');
    await page.close();
    await page2.close();
  });

  test('hostile titles and abstracts render as text, and no script of theirs runs', async () => {
    for (const url of ['/papers/2611.09999', '/day/2026-11-23', '/search?q=hostile']) {
      const page = await open(url);
      const main = page.locator('main');
      assert.equal(await main.locator('img').count(), 0, url);
      assert.equal(await main.locator('script').count(), 0, url);
      assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, url);
      assert.match((await main.textContent()) ?? '', /<script>alert\(1\)<\/script> <img src=x onerror=alert\(2\)>/, url);
      await page.close();
    }
  });

  test('phone width: no sideways scrolling, everything reachable', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    for (const url of ['/', '/papers/2611.00001', '/search?q=vision', '/archive', '/trending']) {
      const page = await open(url, phone);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `${url} is ${width}px wide`);
      await page.close();
    }
    await phone.close();
  });

  test('with JavaScript off the pages still work; the copy button stays hidden', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const page = await open('/papers/2611.00001', noJs);
    assert.equal(await page.getByRole('button', { name: 'Copy BibTeX' }).count(), 0);
    assert.match((await page.locator('#bibtex').textContent()) ?? '', /@misc\{/);
    await page.goto(`${server.url}/day/2026-11-20`);
    await page.getByLabel('Category', { exact: true }).selectOption('cs.CL');
    await page.getByRole('button', { name: 'Apply' }).click();
    assert.equal(await page.locator('.paper-item').count(), 2);
    await page.close();
    await noJs.close();
  });

  test('keyboard: the skip link leads to the content and "/" jumps to search', async () => {
    const page = await open('/');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.match(page.url(), /#main$/);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'site-search');
    await page.close();
  });
});
