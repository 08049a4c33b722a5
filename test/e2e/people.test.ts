/**
 * Collections and comments in Chromium, signed in with real session cookies, on SQLite: save a paper from a
 * card into a new collection, make a public and a private collection, import a BibTeX file (one paper fetched
 * from the local arXiv stand-in), see that a visitor gets the public one and a 404 for the private one;
 * comment with math and reply on a paper page; comment Markdown carrying <script>, onerror=, javascript:
 * links and KaTeX \href{javascript:…} renders inert (no dialog, no script ran, nothing clickable runs);
 * an admin hides a comment and reads the audit log. With PAPERBOY_SCREENSHOTS=DIR each page is saved there
 * (`npm run screenshots:people` writes docs/screenshots). Skipped without Chromium, except in CI.
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
import { addFixturePapers, mailTestConfig } from '../mail-fixtures.ts';
import { freePort } from '../nginx.ts';
import { chromiumMissing, inCi, launchChromium } from './chromium.ts';

const missing = chromiumMissing();
if (missing && inCi) test('browser tests', () => assert.fail(`CI must run the browser tests, but ${missing}`));

const SHOTS = process.env.PAPERBOY_SCREENSHOTS;
const BIB = path.join(import.meta.dirname, '..', 'fixtures', 'references', 'reading-group.bib');

describe('collections and comments in Chromium', { skip: missing && !inCi ? `skipped: ${missing}` : missing ? true : false }, () => {
  let dir: string;
  let db: Db;
  let server: RunningServer;
  let arxiv: ArxivStandIn;
  let site: string;
  let browser: Browser;
  const users: Record<string, User> = {};

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'paperboy-e2e-people-'));
    db = openDb({ sqliteFile: path.join(dir, 'paperboy.sqlite') });
    await migrate(db);
    await addFixturePapers(db);
    arxiv = await startArxivStandIn();
    const port = await freePort();
    site = `http://localhost:${port}`;
    const base = mailTestConfig({ dataDir: dir });
    server = await startServer({ ...base, sources: { ...base.sources, arxivApiUrl: arxiv.apiUrl, arxivIntervalMs: 0 }, host: '127.0.0.1', port, publicBaseUrl: site }, db);
    for (const [key, email, name, role] of [
      ['ada', 'ada@example.org', 'Ada Lovelace', 'member'],
      ['alan', 'alan@example.org', 'Alan Turing', 'member'],
      ['mod', 'grace@example.org', 'Grace Hopper', 'admin'],
    ] as const) {
      users[key] = await addTestUser(db, email, role);
      await db.kysely.updateTable('users').set({ display_name: name }).where('id', '=', users[key].id).execute();
    }
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

  /** A page signed in as `who` (their session cookie, as the sign-in pages set it), or a visitor's. */
  async function open(who?: string, width = 1280): Promise<{ context: BrowserContext; page: Page; dialogs: string[] }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    if (who) {
      const value = (await sessionCookieFor(db, { publicBaseUrl: site }, users[who])).split('=')[1];
      await context.addCookies([{ name: sessionCookieName({ publicBaseUrl: site }), value, url: site, httpOnly: true, sameSite: 'Lax' }]);
    }
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (err) => assert.fail(`script error on ${page.url()}: ${err.message}`));
    return { context, page, dialogs };
  }
  async function shot(page: Page, name: string) {
    if (!SHOTS) return;
    const full = await page.evaluate(() => document.documentElement.scrollHeight);
    const width = page.viewportSize()!.width;
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(full, 2200) } });
  }
  const card = (page: Page, arxivId: string) => page.locator('.paper-item', { has: page.locator(`h2 a[href="/papers/${arxivId}"]`) });

  let privateUrl = '';
  let publicUrl = '';

  test('save a paper from a card into a new collection; make a public one; import a BibTeX file into the private one', async () => {
    const { context, page } = await open('ada');
    await page.goto(site);
    const item = card(page, '2607.00101');
    await item.locator('details.collect > summary').click();
    await item.getByLabel('Into a new collection').fill('Reading group');
    await item.getByLabel('Note').fill('Start with section 3');
    await Promise.all([page.waitForNavigation(), item.getByRole('button', { name: 'Save', exact: true }).click()]);
    assert.match(page.url(), /#paper-\d+$/);
    assert.equal((await card(page, '2607.00101').locator('details.collect > summary').textContent())?.trim(), '★ Saved (1)');

    await page.goto(`${site}/collections`);
    await page.locator('summary', { hasText: 'New collection' }).click();
    await page.getByLabel('Name').fill('Graph learning picks');
    await page.getByLabel('Public — anyone, and listed here').check();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Make the collection' }).click()]);
    publicUrl = new URL(page.url()).pathname;
    await page.locator('summary', { hasText: 'Add a paper' }).click();
    await page.getByLabel('arXiv id or link').fill('2607.00102');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add', exact: true }).click()]);
    assert.match((await page.locator('main').textContent()) ?? '', /Paper 102 on graph learning/);

    await page.goto(`${site}/collections`);
    await shot(page, 'collections-desktop');
    await page.getByRole('link', { name: 'Reading group' }).first().click();
    privateUrl = new URL(page.url()).pathname;
    assert.match((await page.locator('.entry-note').first().textContent()) ?? '', /Start with section 3/);
    await page.getByRole('link', { name: /Import/ }).first().click();
    await page.locator('input[type="file"]').setInputFiles(BIB);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Import', exact: true }).click()]);
    const result = (await page.locator('main').textContent()) ?? '';
    assert.match(result, /3 added/);
    assert.match(result, /Attainable forms of Assouad spectra/, 'fetched from the arXiv stand-in');
    assert.match(result, /Not matched \(2\)/);
    assert.match(result, /2 references not in Paperboy are used as text for your recommendations/);
    assert.ok(arxiv.asked().length > 0);
    await shot(page, 'collection-import-desktop');
    await page.goto(site + privateUrl);
    await page.locator('summary', { hasText: '2 references used as text for your recommendations' }).click();
    assert.match(await page.locator('.kept-references').innerText(), /A Book Nobody Here Has Read/);
    await shot(page, 'collection-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'collection-phone');
    await context.close();
  });

  test('a visitor and another account get the public collection and its feeds; the private one is a 404', async () => {
    for (const who of [undefined, 'alan']) {
      const { context, page } = await open(who);
      const pub = await page.goto(site + publicUrl);
      assert.equal(pub?.status(), 200);
      assert.match((await page.locator('main').textContent()) ?? '', /Paper 102 on graph learning/);
      assert.equal((await page.locator(`form[action^="${publicUrl}/"]`).count()), 0, 'no owner forms');
      for (const path of [privateUrl, `${privateUrl}/feed.xml`, `${privateUrl}/collection.bib`, `${privateUrl}/import`]) {
        const res = await page.goto(site + path);
        assert.equal(res?.status(), 404, `${who ?? 'visitor'}: ${path}`);
        assert.doesNotMatch(await page.content(), /Reading group|section 3/);
      }
      const bib = await page.request.get(`${site}${publicUrl}/collection.bib`);
      assert.match(await bib.text(), /Paper 102 on graph learning/);
      await context.close();
    }
  });

  test('comment with math on a paper page and reply to it', async () => {
    const { context, page } = await open('ada');
    await page.goto(`${site}/papers/2607.00103`);
    await page.getByLabel('Add a comment').fill('Does the bound $\\mathcal{O}(n \\log n)$ hold for **sparse** graphs?\n\n$$\\sum_{i=1}^{n} \\frac{1}{i^2} = \\frac{\\pi^2}{6}$$');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Comment', exact: true }).click()]);
    const first = page.locator('article.comment').first();
    assert.ok((await first.locator('.katex').count()) >= 2, 'math typeset');
    assert.equal(await first.locator('.katex-display').count(), 1);
    assert.equal(await first.locator('.comment-body strong').textContent(), 'sparse');
    await context.close();

    const alan = await open('alan');
    await alan.page.goto(`${site}/papers/2607.00103`);
    const target = alan.page.locator('article.comment').first();
    await target.locator('.comment-actions summary', { hasText: 'Reply' }).click();
    await target.getByLabel('Your reply').fill('Yes — see Lemma 4; the constant is $c = 2$.');
    await Promise.all([alan.page.waitForNavigation(), target.getByRole('button', { name: 'Reply', exact: true }).click()]);
    const reply = alan.page.locator('article.comment article.comment');
    assert.match((await reply.textContent()) ?? '', /Alan Turing[\s\S]*see Lemma 4/);
    assert.equal(await reply.locator('.katex').count(), 1);
    await alan.page.locator('#comments').scrollIntoViewIfNeeded();
    await shot(alan.page, 'comments-desktop');
    await alan.page.setViewportSize({ width: 390, height: 844 });
    await shot(alan.page, 'comments-phone');
    await alan.context.close();
    const mail = await db.kysely.selectFrom('mail_outbox').select('to_address').where('kind', '=', 'comment-reply').execute();
    assert.equal(mail.length, 1, 'Ada is mailed about the reply');
  });

  test('comment Markdown with <script>, onerror=, javascript: links and \\href{javascript:…} renders inert', async () => {
    const evil = [
      '<script>window.__pwned = "script"; alert("script")</script>',
      '<img src=x onerror="window.__pwned = \'onerror\'; alert(\'onerror\')">',
      '[click me](javascript:alert("link"))',
      '<a href="javascript:alert(\'raw link\')">raw link</a>',
      '[entity](jav&#x61;script:alert("entity"))',
      '$\\href{javascript:alert("katex")}{\\text{katex link}}$',
      '$\\url{javascript:alert("url")}$',
    ].join('\n\n');
    const { context, page, dialogs } = await open('alan');
    await page.goto(`${site}/papers/2607.00104`);
    await page.getByLabel('Add a comment').fill(evil);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Comment', exact: true }).click()]);
    const body = page.locator('article.comment .comment-body').first();
    await body.waitFor();
    assert.match((await body.textContent()) ?? '', /<script>window\.__pwned/, 'the script is shown as text');
    const inside = await body.evaluate((el) => ({
      scripts: el.querySelectorAll('script').length,
      images: el.querySelectorAll('img').length,
      handlers: [...el.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
      links: [...el.querySelectorAll('a')].map((a) => a.getAttribute('href')),
    }));
    assert.deepEqual(inside, { scripts: 0, images: 0, handlers: 0, links: [] }, 'no element that could run anything, no link at all');
    // Click every part of the comment that looks like a link (the KaTeX ones are plain coloured text).
    const before = page.url();
    for (const text of ['click me', 'raw link', 'entity']) await body.getByText(text).first().click();
    // KaTeX without trust shows \href and \url as red text: click each formula as typeset.
    const formulas = body.locator('.katex-html');
    assert.equal(await formulas.count(), 2);
    for (let i = 0; i < 2; i++) await formulas.nth(i).click();
    await page.waitForTimeout(300);
    assert.equal(page.url(), before, 'no navigation');
    assert.deepEqual(dialogs, [], 'no dialog opened');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined, 'no script ran');
    // The same page for a visitor (the shared, cached copy).
    const visitor = await open();
    await visitor.page.goto(`${site}/papers/2607.00104`);
    await visitor.page.waitForTimeout(200);
    assert.deepEqual(visitor.dialogs, []);
    assert.equal(await visitor.page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined);
    await visitor.context.close();
    await context.close();
  });

  test('an admin hides a comment from its paper page and reads the audit log', async () => {
    const { context, page } = await open('mod');
    await page.goto(`${site}/papers/2607.00104`);
    const comment = page.locator('article.comment').first();
    await Promise.all([page.waitForNavigation(), comment.getByRole('button', { name: 'Hide (moderator)' }).click()]);
    assert.equal(await page.locator('article.comment').count(), 0, 'the comment is gone from the page');
    await page.goto(`${site}/admin/comments`);
    assert.match((await page.locator('table.moderation').textContent()) ?? '', /hidden/);
    await shot(page, 'admin-comments-desktop');
    await page.getByRole('link', { name: 'Audit log' }).first().click();
    assert.match((await page.locator('table').textContent()) ?? '', /comment\.hide[\s\S]*hid a comment/);
    assert.match((await page.locator('table').textContent()) ?? '', /grace@example\.org/);
    await shot(page, 'audit-log-desktop');
    await context.close();
  });
});
