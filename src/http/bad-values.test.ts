/**
 * Pages survive malformed values that reached the store before import validation existed (or were edited
 * in by hand): every page answers, and such a value never becomes "the newest day".
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { addRecords } from '../papers/papers.service.ts';
import { startServer, type RunningServer } from './server.ts';

const config = { ...loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO_CORPUS: 'off' }), logLevel: 'silent' as const };
const BAD_DAYS = ['<script>', '2026-13-45', '2026-11-30T25:99:00Z', '20260101', '9999-12-31', '+275760-09-13', '2026-02-30'];

describeEachDatabase('bad stored values', (open) => {
  let db: Db;
  let server: RunningServer;
  before(async () => {
    db = await open();
    await addRecords(db, [
      { source: 'arxiv-atom', arxivId: '2611.00001', title: 'A good paper on robust folding', abstract: 'Robust folding.', announcedOn: '2026-11-20', categories: ['cs.LG'] },
      ...BAD_DAYS.map((_, i) => ({ source: 'jsonl' as const, title: `Bad day paper ${i} on robust folding`, abstract: 'Robust folding.', categories: ['cs.LG'] })),
    ]);
    // Written past the importers, as an old store or a hand edit would have them.
    const bad = await db.kysely.selectFrom('papers').select('id').where('title', 'like', 'Bad day paper%').orderBy('id').execute();
    for (const [i, row] of bad.entries()) {
      await db.kysely
        .updateTable('papers')
        .set({ announced_on: BAD_DAYS[i], published_at: 'not-a-date', updated_at: BAD_DAYS[i], code_url: 'javascript:alert(1)', provenance: '{broken' })
        .where('id', '=', row.id)
        .execute();
    }
    server = await startServer(config, db);
  });
  after(async () => {
    await server?.close();
    await db?.close();
  });

  test('every page and its JSON twin answers, and the newest day is a real one', async () => {
    for (const path of ['/', '/api/day', '/trending', '/api/trending', '/archive', '/api/archive', '/search?q=robust+folding', '/api/search?q=robust+folding', '/api/papers', '/week/2026-W47', '/month/2026-11', '/feeds/daily.xml', '/feeds/search.xml?q=folding']) {
      const res = await fetch(server.url + path, { redirect: 'manual' });
      assert.equal(res.status, 200, path);
    }
    const day = await (await fetch(`${server.url}/api/day`)).json();
    assert.equal(day.period.key, '2026-11-20', 'never 9999-12-31');
    const archive = await (await fetch(`${server.url}/api/archive`)).json();
    assert.deepEqual((JSON.stringify(archive).match(/\d{4}-\d{2}-\d{2}/g) ?? []).filter((d) => d !== '2026-11-20'), [], 'only the real day is in the archive');
    const papers = await (await fetch(`${server.url}/api/papers`)).json();
    for (const p of papers.papers) {
      assert.ok(p.announcedOn === null || p.announcedOn === '2026-11-20', `${p.title}: ${p.announcedOn}`);
      assert.equal(p.links.code, null, 'no javascript: link leaves the store');
    }
    const ids = await db.kysely.selectFrom('papers').select(['id', 'arxiv_id']).execute();
    for (const row of ids) {
      const res = await fetch(`${server.url}${row.arxiv_id ? `/papers/${row.arxiv_id}` : `/papers/id/${row.id}`}`);
      assert.equal(res.status, 200, `paper ${row.id}`);
      assert.doesNotMatch(await res.text(), /javascript:alert/);
    }
  });
});
