/**
 * Accounts in Chromium, as a newcomer meets them: sign up by the link in the .eml outbox (no SMTP), set a
 * password, sign out and back in with it, make an API token, sign in through a real OpenID provider, and an
 * admin's accounts page. With PAPERBOY_SCREENSHOTS=DIR each page is also saved there (npm run
 * screenshots:accounts writes docs/screenshots). Skipped without Chromium, except in CI.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type Db, migrate, openDb } from '../../src/db/database.ts';
import { type RunningServer, startServer } from '../../src/http/server.ts';
import { addTestUser } from '../accounts-fixtures.ts';
import { addFixturePapers, mailTestConfig } from '../mail-fixtures.ts';
import { freePort } from '../nginx.ts';
import { startOidcProvider, type TestOidcProvider } from '../oidc-provider.ts';
import { chromiumMissing, inCi, launchChromium } from './chromium.ts';

const missing = chromiumMissing();
if (missing && inCi) test('browser tests', () => assert.fail(`CI must run the browser tests, but ${missing}`));

const TOKEN = 'e2e-admin-token-0123456789abcdef';
const SHOTS = process.env.PAPERBOY_SCREENSHOTS;

describe('accounts in Chromium', { skip: missing && !inCi ? `skipped: ${missing}` : missing ? true : false }, () => {
  let dir: string;
  let db: Db;
  let server: RunningServer;
  let provider: TestOidcProvider;
  let site: string;
  let browser: Browser;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'paperboy-e2e-accounts-'));
    db = openDb({ sqliteFile: path.join(dir, 'paperboy.sqlite') });
    await migrate(db);
    await addFixturePapers(db);
    const port = await freePort();
    site = `http://localhost:${port}`;
    provider = await startOidcProvider([`${site}/signin/oidc/callback`], { 'lab-ada': { email: 'ada@lab.example.org', email_verified: true, name: 'Ada Lovelace' } });
    const base = mailTestConfig({ dataDir: dir });
    const accounts = { registration: 'open' as const, allowedEmailDomains: [], oidc: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, allowedDomains: ['lab.example.org'], name: 'Lab SSO' } };
    server = await startServer({ ...base, host: '127.0.0.1', port, publicBaseUrl: site, adminToken: TOKEN, adminTokenSource: 'generated', accounts }, db);
    browser = await launchChromium();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await provider?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function newPage(width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }
  async function shot(page: Page, name: string) {
    if (!SHOTS) return;
    const full = await page.evaluate(() => document.documentElement.scrollHeight);
    const width = page.viewportSize()!.width;
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(full, 2000) } });
  }
  /** As the admin (token link), sends what the outbox holds and returns the text of the newest mail with this subject. */
  async function mailFromOutbox(subject: string): Promise<string> {
    const admin = await newPage();
    await admin.goto(`${site}/admin?token=${TOKEN}`);
    await admin.getByRole('button', { name: 'Prepare and send now' }).click();
    await admin.getByRole('status').waitFor();
    await admin.getByRole('link', { name: subject }).first().click();
    const text = (await admin.locator('pre.mail-text').textContent()) ?? '';
    await admin.context().close();
    return text;
  }

  test('sign up by the link in the outbox, set a password, sign out, sign in with it, make an API token', async () => {
    const page = await newPage();
    await page.goto(`${site}/`);
    await page.locator('.account-menu').getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await shot(page, 'sign-in-desktop');
    await page.getByLabel('Email address').first().fill('reader@example.org');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await shot(page, 'sign-in-check-inbox-desktop');

    const text = await mailFromOutbox('Finish signing up to Paperboy');
    const link = new RegExp(`(${site}/signin/link/\\S+)`).exec(text)![1];
    await page.goto(link);
    await shot(page, 'sign-up-link-desktop');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByText('Welcome! Your account is ready.').waitFor();
    assert.equal(new URL(page.url()).pathname, '/account');

    await page.locator('#password').fill('a long walk in the lab garden');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your password is saved.').waitFor();
    await page.locator('#token_name').fill('laptop script');
    await page.getByRole('button', { name: 'Make a token' }).click();
    const token = ((await page.locator('#new-token').textContent()) ?? '').trim();
    assert.match(token, /^pb_[A-Za-z0-9_-]{43}$/);
    await shot(page, 'account-desktop');
    const me = await fetch(`${site}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal((await me.json()).email, 'reader@example.org');

    await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
    await page.locator('.account-menu').getByRole('link', { name: 'Sign in' }).click();
    await page.locator('#password-email').fill('reader@example.org');
    await page.locator('#password').fill('a long walk in the lab garden');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${site}/`);
    assert.equal(((await page.locator('.account-name').textContent()) ?? '').trim(), 'reader');
    await shot(page, 'home-signed-in-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'home-signed-in-phone');
    await page.goto(`${site}/account`);
    await shot(page, 'account-phone');
    await page.context().close();
  });

  test('sign in through the test OpenID provider', async () => {
    const page = await newPage();
    await page.goto(`${site}/signin`);
    await page.getByRole('link', { name: 'Sign in with Lab SSO' }).click();
    await page.getByRole('heading', { name: 'Test identity provider' }).waitFor();
    assert.equal(new URL(page.url()).origin, provider.issuer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${site}/`);
    assert.equal(((await page.locator('.account-name').textContent()) ?? '').trim(), 'Ada Lovelace');
    await page.goto(`${site}/account`);
    assert.match((await page.locator('main').textContent()) ?? '', /by single sign-on/);
    await page.context().close();
  });

  test('an admin account opens /admin/users and the outbox without the token', async () => {
    const page = await newPage();
    await page.goto(`${site}/signin`);
    await addTestUser(db, 'root@example.org', 'admin');
    await page.getByLabel('Email address').first().fill('root@example.org');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    const text = await mailFromOutbox('Sign in to Paperboy');
    await page.goto(new RegExp(`(${site}/signin/link/\\S+)`).exec(text)![1]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: /accounts/ }).waitFor();
    await page.getByLabel('Email address').fill('colleague@example.org');
    await page.getByRole('button', { name: 'Send the invitation' }).click();
    await page.getByText('Invitation sent').waitFor();
    await shot(page, 'admin-users-desktop');
    await page.goto(`${site}/admin/outbox`);
    await page.getByRole('heading', { name: 'Outbox' }).waitFor();
    await page.context().close();
  });
});
