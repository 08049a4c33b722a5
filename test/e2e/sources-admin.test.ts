/**
 * /admin/sources in Chromium, as an admin sees it after a few days of scheduled runs: a source that was late
 * and caught up, a list that came back empty (a warning), a feed that fails, one switched off. Signs in with
 * the start-up link, adds a source through the form, and writes docs/screenshots/admin-sources-*.png.
 * Skipped without Chromium, except in CI.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type Db, migrate, openDb } from '../../src/db/database.ts';
import { newPapers, startOaiReplay, type OaiReplay } from '../../src/fetch/oai-replay.ts';
import { startTestServer, type TestServer } from '../../src/fetch/test-server.ts';
import { type RunningServer, startServer } from '../../src/http/server.ts';
import { announcementOf, arxivCalendar, lastListingDays } from '../../src/sources/calendar.ts';
import { addSource, setSourceEnabled } from '../../src/sources/sources.service.ts';
import { Clock, quickClients, replayConfig, tick } from '../../src/sources/testing.ts';
import { mailTestConfig } from '../mail-fixtures.ts';
import { freePort } from '../nginx.ts';
import { chromiumMissing, inCi, launchChromium } from './chromium.ts';

const missing = chromiumMissing();
if (missing && inCi) test('browser tests', () => assert.fail(`CI must run the browser tests, but ${missing}`));

const TOKEN = 'e2e-sources-admin-token-0123456789';
const SHOTS = path.resolve(import.meta.dirname, '../../docs/screenshots');
const DAYS = lastListingDays(arxivCalendar(), new Date(), 4);

describe('the sources page in Chromium', { skip: missing && !inCi ? `skipped: ${missing}` : missing ? true : false }, () => {
  let dir: string;
  let db: Db;
  let replay: OaiReplay;
  let hf: TestServer;
  let server: RunningServer;
  let browser: Browser;
  let lateUntil = new Date(0);

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'paperboy-e2e-sources-'));
    db = openDb({ sqliteFile: path.join(dir, 'paperboy.sqlite') });
    await migrate(db);
    replay = await startOaiReplay({ records: newPapers(DAYS, 12), pageSize: 20, available: (day) => clock.at >= (day === DAYS[2] ? lateUntil : announcementOf(day)) });
    hf = await startTestServer(() => ({ status: 200, body: '[]', headers: { 'Content-Type': 'application/json' } }));
    const config = replayConfig({ ...replay, baseUrl: hf.baseUrl });
    const clients = quickClients(config);
    // Three days of the scheduler, replayed on a simulated clock up to the newest listing.
    const clock = new Clock(new Date(announcementOf(DAYS[2]).getTime() + 30 * 60_000));
    lateUntil = new Date(clock.at.getTime() + 50 * 60_000);
    await addSource(db, { kind: 'arxiv', target: 'hep-ex', backfillFrom: DAYS[0] }, 'env', clock.at);
    await addSource(db, { kind: 'hf-daily', backfillFrom: DAYS[1] }, 'env', clock.at);
    await addSource(db, { kind: 'feed', target: 'http://127.0.0.1:9/journal/toc.rss', schedule: 'every 6h' }, 'admin', clock.at);
    const off = await addSource(db, { kind: 'arxiv', target: 'cs.CV' }, 'admin', clock.at);
    await setSourceEnabled(db, off.id, false);
    // Half an hour after the announcement (the day is not out yet: late), then every hour.
    for (let i = 0; i < 3; i++, clock.advance(60)) await tick(db, config, clients, clock);
    clock.at = new Date(announcementOf(DAYS[3]).getTime() + 30 * 60_000);
    await tick(db, config, clients, clock);

    const port = await freePort();
    const site = `http://localhost:${port}`;
    server = await startServer({ ...mailTestConfig({ dataDir: dir }), sources: config.sources, host: '127.0.0.1', port, publicBaseUrl: site, adminToken: TOKEN, adminTokenSource: 'generated' as const }, db);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await replay?.close();
    await hf?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('shows each source\'s state and its runs, and adds a source through the form', async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${server.url.replace('127.0.0.1', 'localhost')}/admin?token=${TOKEN}`);
      await page.goto(`${server.url.replace('127.0.0.1', 'localhost')}/admin/sources`);
      assert.equal(await page.locator('h1').textContent(), 'Sources');
      const rows = page.locator('table.outbox').first().locator('tbody tr');
      assert.equal(await rows.count(), 4);
      assert.match((await rows.nth(0).textContent()) ?? '', /arXiv hep-ex.*ok/);
      assert.match((await rows.nth(1).textContent()) ?? '', /Hugging Face daily papers.*warning.*is empty/);
      assert.match((await rows.nth(2).textContent()) ?? '', /feed 127\.0\.0\.1:9\/journal\/toc\.rss.*failing/);
      assert.match((await rows.nth(3).textContent()) ?? '', /arXiv cs\.CV.*off/);
      const runs = await page.locator('table.runs tbody tr').allTextContents();
      assert.ok(runs.some((r) => /arXiv hep-ex.*late/.test(r)), 'the late run is listed');
      await page.screenshot({ path: path.join(SHOTS, `admin-sources-${name}.png`), fullPage: true });
      await context.close();
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url.replace('127.0.0.1', 'localhost')}/admin?token=${TOKEN}`);
    await page.goto(`${server.url.replace('127.0.0.1', 'localhost')}/admin/sources`);
    await page.selectOption('#kind', 'arxiv');
    await page.fill('#target', 'cs.LG');
    await page.fill('#schedule', 'every 6h');
    await page.click('form.add-source button[type=submit]');
    await page.waitForURL(/notice=/);
    assert.match((await page.locator('.notice').textContent()) ?? '', /Added arXiv cs\.LG; it runs within a minute\./);
    assert.match((await page.locator('table.outbox').first().locator('tbody tr').nth(4).textContent()) ?? '', /arXiv cs\.LG\s*every 6h\s*not run yet/);
    await context.close();
  });
});
