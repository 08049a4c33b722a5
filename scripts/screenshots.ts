/**
 * `npm run screenshots`: every page of Paperboy at desktop (1280 px) and phone (390 px) width, written to
 * docs/screenshots/. The store is what a first start shows: the bundled demo corpus (src/demo/README.md).
 * `SHOTS=search` takes only the pages whose name starts with it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfig } from '../src/config.ts';
import { migrate, openDb } from '../src/db/database.ts';
import { loadDemoIfEmpty } from '../src/demo/load-demo.ts';
import { getEmbedder } from '../src/embed/embedder.ts';
import { runEmbeddingJob } from '../src/embed/embed.service.ts';
import { configuredEmbedder, prepareSearch } from '../src/search/search.service.ts';
import { termIndexFor } from '../src/search/terms/handle.ts';
import { startServer } from '../src/http/server.ts';
import { addDays } from '../src/listings/period.ts';
import { launchChromium } from '../test/e2e/chromium.ts';

const OUT = path.resolve('docs/screenshots');
const MAX_HEIGHT = 2000;

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-shots-'));
const db = openDb({ sqliteFile: path.join(dir, 'paperboy.sqlite') });
await migrate(db);
await loadDemoIfEmpty(db);
// What a first start shows once its background work is done (seconds on the demo store): vectors from the
// default embedder, and the term index that spelling suggestions and run-together words come from.
const config = { ...loadConfig({}), logLevel: 'silent' as const, host: '127.0.0.1', port: 0 };
const embedder = await getEmbedder(config);
await runEmbeddingJob(db, embedder);
await embedder.close?.();
const searchDeps = { embedder: configuredEmbedder(config) };
await prepareSearch(db, searchDeps);
await termIndexFor(db).ready();

const k = db.kysely;
const latest = (await k.selectFrom('papers').select('announced_on').orderBy('announced_on', 'desc').limit(1).executeTakeFirstOrThrow()).announced_on!;
const saturday = new Date(Date.parse(`${latest}T00:00:00Z`) - ((new Date(`${latest}T00:00:00Z`).getUTCDay() + 1) % 7) * 86_400_000).toISOString().slice(0, 10);
const math = await k.selectFrom('papers').select('arxiv_id').where('abstract', 'like', '%$\\%$%').where('arxiv_id', 'is not', null).orderBy('id', 'desc').limit(1).executeTakeFirst();
const author = await k.selectFrom('paper_authors').select(['author_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('author_id').orderBy('n', 'desc').limit(1).executeTakeFirstOrThrow();
const org = await k.selectFrom('organizations').select('slug').limit(1).executeTakeFirst();
// The longest byline of the store (573 names in the demo): the "+N more" expander and the full list.
const byline = await k
  .selectFrom('paper_authors')
  .innerJoin('papers', 'papers.id', 'paper_authors.paper_id')
  .select(['papers.arxiv_id', (eb) => eb.fn.countAll<number>().as('n')])
  .where('papers.arxiv_id', 'is not', null)
  .groupBy('papers.arxiv_id')
  .orderBy('n', 'desc')
  .limit(1)
  .executeTakeFirstOrThrow();
const openAuthors = async (page: Page) => page.locator('.more-authors summary').click();

/** Name, URL, and what to do on the page before the shot. */
const pages: [string, string, ((page: Page) => Promise<void>)?][] = [
  ['home', '/'],
  ['day-weekend', `/day/${saturday}`],
  ['week', `/week?date=${latest}`],
  ['month', `/month/${latest.slice(0, 7)}?sort=newest`],
  ['trending', '/trending'],
  ['paper', math?.arxiv_id ? `/papers/${math.arxiv_id}` : '/papers/id/1'],
  ['paper-many-authors', `/papers/${byline.arxiv_id}`],
  ['paper-many-authors-open', `/papers/${byline.arxiv_id}`, openAuthors],
  ['paper-authors', `/papers/${byline.arxiv_id}/authors`],
  ['search', '/search?q=diffusion+transformer'],
  ['search-filters', '/search?q=diffusion+transformer&mode=keyword&sort=newest&cat=cs.CV&cat=cs.LG&notcat=cs.RO'],
  ['search-empty', '/search?q=zzqxv'],
  ['search-typo', '/search?q=trasnformer'],
  ['search-closest', '/search?q=selfsupervised+molecule+graphs&mode=hybrid'],
  ['author', `/authors/${author.author_id}`],
  ...(org ? ([['organization', `/orgs/${org.slug}`]] as [string, string][]) : []),
  ['day-future', `/day/${addDays(latest, 7)}`],
  ['archive', '/archive'],
  // The endpoint list of the JSON API, read from /api/openapi.json's document.
  ['api', '/api'],
  ['not-found', '/nowhere'],
];

const server = await startServer(config, db, searchDeps);
const browser = await launchChromium();
mkdirSync(OUT, { recursive: true });
try {
  for (const [width, height, suffix, colorScheme, only] of [
    [1280, 900, 'desktop', 'light', undefined],
    [390, 844, 'phone', 'light', undefined],
    // Dark mode follows the system: a few pages show it.
    [1280, 900, 'dark-desktop', 'dark', ['home', 'paper', 'search', 'api']],
    [390, 844, 'dark-phone', 'dark', ['home', 'paper', 'paper-many-authors']],
  ] as const) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1, colorScheme });
    // The 404 page's own status is reported as a console error; anything else is worth a look.
    page.on('console', (m) => m.type() === 'error' && !page.url().endsWith('/nowhere') && console.error(`console error on ${page.url()}: ${m.text()}`));
    for (const [name, url, prepare] of pages) {
      if (only && !(only as readonly string[]).includes(name)) continue;
      // `SHOTS=search npm run screenshots` refreshes only the pages whose name starts so.
      if (process.env.SHOTS && !name.startsWith(process.env.SHOTS)) continue;
      await page.goto(`${server.url}${url}`);
      await prepare?.(page);
      const full = await page.evaluate(() => document.documentElement.scrollHeight);
      const file = path.join(OUT, `${name}-${suffix}.png`);
      await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(full, MAX_HEIGHT) } });
      console.log(`${path.relative(process.cwd(), file)}  ${url}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
