/**
 * The newcomer's flow in Chromium, as the README tells it: subscribe, open the sign-in link printed at
 * start-up, find the confirmation mail in /admin/outbox, confirm (seeing the alert that comes with it),
 * send the digest. Then the attacks a browser makes possible: a page on another port of localhost — the
 * same site to the browser, so SameSite cookies go along — plants a CSRF cookie, posts the forms, and a
 * page on another site posts them too. Skipped without Chromium, except in CI.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type Db, migrate, openDb } from '../../src/db/database.ts';
import { type RunningServer, startServer } from '../../src/http/server.ts';
import { addFixturePapers, DAY1, DAY2, mailTestConfig } from '../mail-fixtures.ts';
import { freePort } from '../nginx.ts';
import { chromiumMissing, inCi, launchChromium } from './chromium.ts';

const missing = chromiumMissing();
if (missing && inCi) test('browser tests', () => assert.fail(`CI must run the browser tests, but ${missing}`));

const TOKEN = 'e2e-admin-token-0123456789abcdef';

/** A page on another origin that submits a form to `target` at once. */
function attackerPage(target: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`).join('');
  return `<!doctype html><form id="f" method="post" action="${target}">${inputs}</form><script>document.getElementById('f').submit();</script>`;
}

describe('subscribing and the outbox in Chromium', { skip: missing && !inCi ? `skipped: ${missing}` : missing ? true : false }, () => {
  let dir: string;
  let db: Db;
  let server: RunningServer;
  let site: string;
  let attacker: http.Server;
  let attackerPort: number;
  let attack: { target: string; fields: Record<string, string>; plant?: string } = { target: '', fields: {} };
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'paperboy-e2e-admin-'));
    db = openDb({ sqliteFile: path.join(dir, 'paperboy.sqlite') });
    await migrate(db);
    await addFixturePapers(db);
    const port = await freePort();
    site = `http://localhost:${port}`;
    const config = { ...mailTestConfig({ dataDir: dir }), host: '127.0.0.1', port, publicBaseUrl: site, adminToken: TOKEN, adminTokenSource: 'generated' as const };
    server = await startServer(config, db);
    // Cookies ignore ports: a Set-Cookie from localhost:<any port> replaces Paperboy's, HttpOnly or not.
    attacker = http.createServer((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'text/html', ...(attack.plant ? { 'Set-Cookie': attack.plant } : {}) }).end(attackerPage(attack.target, attack.fields)),
    );
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerPort = (attacker.address() as AddressInfo).port;
    browser = await launchChromium();
    context = await browser.newContext();
  });
  after(async () => {
    await browser?.close();
    attacker?.close();
    await server?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(url: string): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(url);
    return page;
  }
  const subscriber = (email: string) => db.kysely.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();

  test('subscribe, sign in with the start-up link, confirm from the outbox seeing the alert, send the digest', async () => {
    const page = await open(`${site}/subscribe`);
    await page.getByLabel('Email address').fill('newcomer@example.org');
    await page.getByLabel(/Alert me about new papers on/).fill('diffusion models');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

    await page.goto(`${site}/admin?token=${TOKEN}`);
    assert.equal(page.url(), `${site}/admin/outbox`, 'the token is gone from the address bar');
    await page.getByRole('button', { name: 'Prepare and send now' }).click();
    await page.getByRole('status').getByText(/mails sent/).waitFor();
    await page.getByRole('link', { name: 'Confirm your Paperboy subscription' }).click();
    const text = (await page.locator('pre.mail-text').textContent()) ?? '';
    assert.match(text, /also adds an alert for new papers on “diffusion models”/);
    const link = /(http:\/\/localhost:\d+\/subscribe\/confirm\/\S+)/.exec(text)![1];

    await page.goto(link);
    assert.match((await page.locator('main').textContent()) ?? '', /new papers on “diffusion models”/, 'the owner sees the alert they accept');
    await page.getByRole('button', { name: 'Yes, confirm my subscription' }).click();
    await page.getByText('Subscription confirmed. Welcome!').waitFor();
    assert.match((await page.locator('ul.alerts').textContent()) ?? '', /diffusion models/);
    assert.equal((await subscriber('newcomer@example.org'))?.status, 'active');

    await page.goto(`${site}/admin/outbox`);
    await page.getByLabel('Send the digest of a listing day now').fill(DAY1);
    await page.getByRole('button', { name: 'Prepare and send now' }).click();
    await page.getByRole('status').getByText(`${DAY1}: 1 digests prepared; 1 mails sent.`).waitFor();
    await page.close();
  });

  test('a page on another port of localhost cannot plant a CSRF cookie and post with it, nor use the admin session', async () => {
    const planted = 'A'.repeat(43);
    attack = { target: `${site}/subscribe`, fields: { email: 'victim@example.org', digest: 'on', _csrf: planted }, plant: `paperboy_csrf=${planted}; Path=/; HttpOnly; SameSite=Lax` };
    const page = await open(`http://localhost:${attackerPort}/`);
    await page.waitForURL(`${site}/subscribe`);
    assert.match((await page.locator('body').textContent()) ?? '', /sent from another site/);
    assert.equal(await subscriber('victim@example.org'), undefined);

    // The admin session cookie is SameSite=Strict, but another port is the same site: the Origin check stops it.
    attack = { target: `${site}/admin/digest`, fields: { date: DAY2, _csrf: planted }, plant: `paperboy_csrf=${planted}; Path=/; HttpOnly; SameSite=Lax` };
    await page.goto(`http://localhost:${attackerPort}/`);
    await page.waitForURL(`${site}/admin/digest`);
    assert.match((await page.locator('body').textContent()) ?? '', /sent from another site/, 'refused before the digest runs');
    await page.close();
  });

  test('a form on another site is refused', async () => {
    attack = { target: `${site}/subscribe`, fields: { email: 'cross@example.org', digest: 'on' } };
    const page = await open(`http://127.0.0.1:${attackerPort}/`);
    await page.waitForURL(`${site}/subscribe`);
    assert.match((await page.locator('body').textContent()) ?? '', /sent from another site/);
    assert.equal(await subscriber('cross@example.org'), undefined);
    await page.close();
  });
});
