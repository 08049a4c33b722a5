/**
 * TeX in titles, as a reader sees it in Chromium: typeset in the lists (a day page and search results),
 * with KaTeX's fonts and no CSP violation; Unicode text in the browser tab; markup in the abstract.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Db } from '../../src/db/database.ts';
import type { RunningServer } from '../../src/http/server.ts';
import type { PaperRecord } from '../../src/papers/paper.ts';
import { chromiumMissing, inCi, launchChromium } from './chromium.ts';
import { startTestSite, type TestSite } from './test-site.ts';

const missing = chromiumMissing();
if (missing && inCi) {
  test('browser tests', () => assert.fail(`CI must run the browser tests, but ${missing}`));
}

const records: PaperRecord[] = [
  ['GSBAK$^K$: $top$-$K$ Geometric Score-based Black-box Attack', 'We attack with \\textbf{12\\%} gains; code at \\url{https://github.com/a/gsbak}.'],
  ['Di$\\mathtt{[M]}$O: Distilling Masked Diffusion Models', 'Masked diffusion, distilled.'],
  ['Plain geometric title', 'No math here.'],
].map(([title, abstract], i) => ({ source: 'hf-daily', arxivId: `2611.0000${i + 1}`, title, abstract, authors: ['Ada Lovelace'], categories: ['cs.LG'], announcedOn: '2026-11-20' }));

describe('math in titles, in Chromium', { skip: missing && !inCi ? `skipped: ${missing}` : missing ? true : false }, () => {
  let site: TestSite;
  let db: Db;
  let server: RunningServer;
  let browser: Browser;
  const problems: string[] = [];

  before(async () => {
    site = await startTestSite('math', records);
    ({ db, server } = site);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    // A CSP refusing KaTeX's inline styles or its stylesheet shows up here as a console error.
    assert.deepEqual(problems, [], 'console errors or page errors');
  });

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()} (${page.url()})`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${server.url}${url}`);
    return page;
  }

  /** What the titles of a list look like: their visible text, and how many typeset formulas set in KaTeX's font. */
  async function titles(page: Page) {
    // The text a reader sees: KaTeX's MathML twin (for screen readers) left out.
    const text = await page.locator('.paper-item h2 a').evaluateAll((links) =>
      links.map((a) => {
        const copy = a.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.katex-mathml').forEach((m) => m.remove());
        return (copy.textContent ?? '').replace(/\s+/g, ' ');
      }),
    );
    const typeset = await page.locator('.paper-item h2 .katex-html').evaluateAll((nodes) => nodes.filter((n) => getComputedStyle(n.closest('.katex')!).fontFamily.includes('KaTeX_Main')).length);
    return { text, typeset };
  }

  test('a day page and search results show typeset math in titles, and no raw TeX', async () => {
    for (const url of ['/day/2026-11-20', '/search?q=attack']) {
      const page = await open(url);
      const { text, typeset } = await titles(page);
      assert.ok(typeset >= 3, `${url}: ${typeset} typeset formulas`);
      assert.ok(text.includes('GSBAKK: top-K Geometric Score-based Black-box Attack'), `${url}: ${text.join(' | ')}`);
      for (const t of text) assert.doesNotMatch(t, /\$|\\mathtt|\^/, url);
      await page.close();
    }
  });

  test('search results mark the query next to a typeset formula', async () => {
    const page = await open('/search?q=gsbak');
    assert.equal(await page.locator('.paper-item h2 mark').first().textContent(), 'GSBAK');
    assert.equal(await page.locator('.paper-item h2 .katex').count(), 3);
    await page.close();
  });

  test('the paper page: Unicode text in the tab, typeset h1, bold and a nofollow link in the abstract', async () => {
    const page = await open('/papers/2611.00001');
    assert.equal(await page.title(), 'GSBAKᴷ: top-K Geometric Score-based Black-box Attack · Paperboy');
    assert.equal(await page.locator('h1 .katex').count(), 3);
    assert.equal(await page.locator('.abstract b').textContent(), '12%');
    assert.equal(await page.locator('.abstract a[rel="nofollow noopener"]').getAttribute('href'), 'https://github.com/a/gsbak');
    await page.close();
  });
});
