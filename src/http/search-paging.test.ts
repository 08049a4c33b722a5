/** The search page pages through keyword results the same way whether or not they are full matches. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { addRecords } from '../papers/papers.service.ts';
import { startServer, type RunningServer } from './server.ts';

const config = { ...loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO_CORPUS: 'off' }), logLevel: 'silent' as const };

describeEachDatabase('search paging', (open) => {
  let db: Db;
  let server: RunningServer;
  before(async () => {
    db = await open();
    // 35 papers on diffusion, none on quantum: "diffusion quantum" has no full match, 35 partial ones.
    await addRecords(db, Array.from({ length: 35 }, (_, i) => ({ source: 'jsonl' as const, title: `Diffusion study ${i + 1}`, abstract: 'On diffusion.', announcedOn: '2026-11-02' })));
    server = await startServer(config, db);
  });
  after(async () => {
    await server?.close();
    await db?.close();
  });

  // Titles are highlighted (<mark>Diffusion</mark>), so match on what follows the word.
  const titles = (html: string) => [...html.matchAll(/<\/mark> study (\d+)</g)].map((m) => Number(m[1]));

  test('fallback results ("some of the words") page like full ones: page 1 links to page 2, which has the rest', async () => {
    const first = await fetch(`${server.url}/search?q=diffusion+quantum`);
    const body = await first.text();
    assert.equal(first.status, 200);
    assert.match(body, /No paper has every word of “diffusion quantum”; (these|the closest) have some of them/);
    assert.equal(new Set(titles(body)).size, 30);
    assert.match(body, /href="\/search\?q=diffusion\+quantum&amp;page=2" rel="next"/);
    const second = await fetch(`${server.url}/search?q=diffusion+quantum&page=2`);
    assert.equal(second.status, 200, 'page 2 exists');
    const rest = titles(await second.text());
    assert.equal(new Set(rest).size, 5);
    assert.ok(rest.every((n) => !titles(body).includes(n)), 'no paper on both pages');
  });
});
