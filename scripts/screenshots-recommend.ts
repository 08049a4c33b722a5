/**
 * `npm run screenshots:recommend`: the For-you pages in Chromium on the demo store with a seeded reader —
 * a reader who upvoted a few diffusion papers and saved two to a collection — at desktop and phone width,
 * written to docs/screenshots/for-you-*.png. Clicks "Not interested" on the first card and checks the next
 * load leaves it out; then times 50 loads of /for-you (p50, with the load average).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { addTestUser, sessionCookieFor } from '../test/accounts-fixtures.ts';
import { launchChromium } from '../test/e2e/chromium.ts';
import { loadConfig } from '../src/config.ts';
import { createCollection, } from '../src/collections/collections.service.ts';
import { upsertPapers } from '../src/collections/collections.repo.ts';
import { setVote } from '../src/community/votes.service.ts';
import { migrate, openDb } from '../src/db/database.ts';
import { loadDemoIfEmpty } from '../src/demo/load-demo.ts';
import { getEmbedder } from '../src/embed/embedder.ts';
import { runEmbeddingJob } from '../src/embed/embed.service.ts';
import { startServer } from '../src/http/server.ts';
import { percentile } from '../src/search/eval/harness.ts';
import { recommendationsFor, storeContext } from '../src/recommend/recommend.service.ts';

const OUT = path.resolve('docs/screenshots');
const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-for-you-'));
const db = openDb({ sqliteFile: path.join(dir, 'paperboy.sqlite') });
await migrate(db);
await loadDemoIfEmpty(db);
const config = { ...loadConfig({}), logLevel: 'silent' as const, host: '127.0.0.1', port: 0, publicBaseUrl: 'http://127.0.0.1' };
const embedder = await getEmbedder(config);
await runEmbeddingJob(db, embedder);
await embedder.close?.();

const reader = await addTestUser(db, 'reader@example.org');
const diffusion = await db.kysely.selectFrom('papers').select('id').where('title', 'like', '%iffusion%').orderBy('id').limit(8).execute();
for (const p of diffusion.slice(0, 5)) await setVote(db, reader, p.id, true);
const saved = await createCollection(db, reader, { name: 'Generative models', visibility: 'private' });
if (saved !== 'too-many') await upsertPapers(db.kysely, saved.id, diffusion.slice(5, 7).map((p) => ({ paperId: p.id })), new Date().toISOString());

// The store's context (built in the worker, as `paperboy serve` starts it) and the first training run, waited
// for: done before the timed loads, as a warm server would have them.
let t = performance.now();
await storeContext(db);
await recommendationsFor(db, reader.id, { days: 7, limit: 30, waitMs: Infinity });
console.log(`first For-you (vocabulary fitted and stored, context built, model trained, in the worker): ${((performance.now() - t) / 1000).toFixed(1)} s`);
t = performance.now();
await recommendationsFor(db, reader.id, { days: 7, limit: 30 });
console.log(`second (stored model, cached pool): ${(performance.now() - t).toFixed(1)} ms`);
const server = await startServer(config, db, {});
const [name, value] = (await sessionCookieFor(db, config, reader)).split('=');
const browser = await launchChromium();
mkdirSync(OUT, { recursive: true });
try {
  for (const [width, height, suffix] of [
    [1280, 900, 'desktop'],
    [390, 844, 'phone'],
  ] as const) {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    page.setDefaultTimeout(120_000);
    page.on('console', (m) => m.type() === 'error' && console.error(`console error on ${page.url()}: ${m.text()}`));
    for (const [shot, url] of [
      ['for-you', '/for-you'],
      ['for-you-model', '/for-you/model'],
    ] as const) {
      await page.goto(`${server.url}${url}`);
      const full = await page.evaluate(() => document.documentElement.scrollHeight);
      const file = path.join(OUT, `${shot}-${suffix}.png`);
      await page.screenshot({ path: file, clip: { x: 0, y: 0, width, height: Math.min(full, 2000) } });
      console.log(`${path.relative(process.cwd(), file)}  ${url}`);
    }
    if (suffix === 'desktop') {
      await page.goto(`${server.url}/for-you`);
      const first = await page.locator('li.paper-item').first().getAttribute('id');
      // The card's reading button (app.js sends it without leaving the page); then the next load.
      const button = page.locator('li.paper-item').first().getByRole('button', { name: 'Not interested' }).first();
      await button.click();
      await page.locator(`#${first} button[aria-pressed="true"]`).first().waitFor();
      await page.reload();
      const ids = await page.locator('li.paper-item').evaluateAll((els) => els.map((e) => e.id));
      assert.ok(!ids.includes(first!), 'a paper marked not interested is gone on the next load');
      console.log(`not interested: ${first} gone on the next load`);
      const times: number[] = [];
      for (let i = 0; i < 50; i++) {
        const t = performance.now();
        const res = await fetch(`${server.url}/for-you`, { headers: { cookie: `${name}=${value}` } });
        await res.text();
        times.push(performance.now() - t);
      }
      console.log(`/for-you: p50 ${percentile(times, 50).toFixed(1)} ms, p90 ${percentile(times, 90).toFixed(1)} ms over 50 loads; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
