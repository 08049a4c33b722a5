/**
 * A paper page in Chromium: a huge byline behind an expander that needs no script, and copy buttons that
 * work on plain HTTP from a LAN address (no secure context, so no Clipboard API), as a lab serves it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Db } from '../../src/db/database.ts';
import type { RunningServer } from '../../src/http/server.ts';
import { chromiumMissing, inCi, launchChromium } from './chromium.ts';
import { startTestSite, type TestSite } from './test-site.ts';

const missing = chromiumMissing();
if (missing && inCi) {
  test('paper page browser tests', () => assert.fail(`CI must run the browser tests, but ${missing}`));
}

/** A name no DNS knows; Chromium maps it to the test server, so the page is plain HTTP on a non-local host. */
const LAN_HOST = 'paperboy.lan';
const AUTHORS = Array.from({ length: 3_302 }, (_, i) => `Researcher${i + 1} Surname${i + 1}`);

describe('a paper page in Chromium', { skip: missing && !inCi ? `skipped: ${missing}` : missing ? true : false }, () => {
  let site: TestSite;
  let db: Db;
  let server: RunningServer;
  let browser: Browser;
  let lanUrl: string;
  const problems: string[] = [];

  before(async () => {
    site = await startTestSite('paper', [
      {
        source: 'arxiv-jsonl',
        arxivId: '2507.06261',
        title: 'Gemini 2.5: Pushing the Frontier',
        abstract: 'In this report, we introduce the Gemini 2.X model family. '.repeat(6),
        authors: AUTHORS,
        categories: ['cs.CL'],
        announcedOn: '2025-07-10',
      },
    ]);
    ({ db, server } = site);
    lanUrl = server.url.replace('127.0.0.1', LAN_HOST);
    browser = await launchChromium([`--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`]);
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    assert.deepEqual(problems, [], 'console errors or page errors');
  });

  async function open(url: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    // Chromium reports the Cross-Origin-Opener-Policy header as ignored on plain HTTP: expected on a LAN address.
    page.on('console', (m) => m.type() === 'error' && !/Cross-Origin-Opener-Policy header has been ignored/.test(m.text()) && problems.push(`console: ${m.text()} (${page.url()})`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(url);
    return page;
  }

  test('on a phone the abstract starts near the top; "+3,290 more" opens without JavaScript and leads to every name', async () => {
    const page = await open(`${server.url}/papers/2507.06261`, { viewport: { width: 390, height: 844 }, isMobile: true, javaScriptEnabled: false });
    const top = await page.locator('#abstract-title').evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    // Before: every name inline, the abstract 31,000 px down on a phone.
    assert.ok(top < 1_200, `the abstract starts ${top}px down`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);
    const more = page.getByText('+3,290 more');
    assert.equal(await page.getByRole('link', { name: 'Researcher13 Surname13', exact: true }).isVisible(), false);
    await more.click();
    assert.equal(await page.getByRole('link', { name: 'Researcher13 Surname13', exact: true }).isVisible(), true);
    await page.getByRole('link', { name: 'All 3,302 authors' }).click();
    // A click returns once the navigation commits; the long list is still streaming in until 'load'.
    await page.waitForURL(/\/papers\/2507\.06261\/authors$/, { waitUntil: 'load' });
    assert.equal(await page.locator('.author-list li').count(), 3_302);
    assert.equal(await page.getByRole('link', { name: 'Researcher3302 Surname3302', exact: true }).count(), 1);
    await page.context().close();
  });

  test('over plain HTTP on a LAN address, Copy BibTeX and Copy link put the text on the clipboard', async () => {
    const page = await open(`${lanUrl}/papers/2507.06261`);
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    assert.equal(await page.evaluate(() => 'clipboard' in navigator && navigator.clipboard !== undefined), false);
    // What a copy puts on the clipboard, seen from the page (the Clipboard API cannot be read here).
    await page.evaluate(() => {
      document.addEventListener('copy', () => {
        const el = document.activeElement;
        const text = el instanceof HTMLTextAreaElement ? el.value.slice(el.selectionStart, el.selectionEnd) : String(document.getSelection());
        (window as unknown as { copied: string }).copied = text;
      });
    });
    const copied = () => page.evaluate(() => (window as unknown as { copied?: string }).copied ?? '');

    await page.getByRole('button', { name: 'Copy BibTeX' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    // The whole entry as shown: a collaboration's names end in BibTeX's own "and others" after MAX_BIBTEX_AUTHORS.
    assert.match(await copied(), /^@misc\{\w+,[\s\S]*Researcher100 Surname100 and others\},[\s\S]*\}$/);

    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Link copied.').waitFor();
    assert.equal(await copied(), `${lanUrl}/papers/2507.06261`);
    // And it reached the browser's clipboard: read back from a secure origin allowed to read it.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const reader = await page.context().newPage();
    await reader.goto(`${server.url}/archive`);
    assert.equal(await reader.evaluate(() => navigator.clipboard.readText()), `${lanUrl}/papers/2507.06261`);
    // Focus returns to the button, and the page shows no trace of the copy buffer.
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Copy link');
    assert.equal(await page.locator('textarea').count(), 0);
    await page.context().close();
  });

  test('without JavaScript the copy buttons stay hidden and the BibTeX can be selected by hand', async () => {
    const page = await open(`${lanUrl}/papers/2507.06261`, { javaScriptEnabled: false });
    assert.equal(await page.getByRole('button', { name: 'Copy BibTeX' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Copy link' }).count(), 0);
    const bibtex = page.locator('#bibtex');
    assert.equal(await bibtex.isVisible(), true);
    assert.equal(await bibtex.evaluate((el) => getComputedStyle(el).userSelect), 'auto');
    await page.context().close();
  });
});
