/**
 * One meaning of "which papers" across every surface, through a real HTTP server: a filter given to a list
 * page, the search API, a search feed and an alert selects the same papers (issue: `/day/…?cat=cs.lg` found
 * nothing, `cat:cs` in search found the archive, an alert for category `cs` matched nothing).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Parser from 'rss-parser';
import { describeEachDatabase } from '../../test/databases.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { AlertMatcher } from '../digest/alerts.ts';
import { FILTER_CORPUS, type FilterCorpusKey, loadFilterCorpus } from '../filter/testing.ts';
import { addRecords } from '../papers/papers.service.ts';
import { startServer, type RunningServer } from './server.ts';

const config = { ...loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO_CORPUS: 'off' }), logLevel: 'silent' as const };
const WINDOW = { from: '2026-11-02', to: '2026-11-05' };

describeEachDatabase('one paper filter behind every surface', (open) => {
  let db: Db;
  let server: RunningServer;
  let nameOf: (id: number) => FilterCorpusKey;
  const byArxiv = new Map(Object.entries(FILTER_CORPUS).map(([name, r]) => [r.arxivId!, name]));
  before(async () => {
    db = await open();
    ({ nameOf } = await loadFilterCorpus(db));
    server = await startServer({ ...config, publicBaseUrl: 'http://127.0.0.1' }, db);
  });
  after(async () => {
    await server?.close();
    await db?.close();
  });

  const json = async (path: string) => {
    const res = await fetch(server.url + path);
    assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
    return res.json();
  };
  const names = (ids: string[]) => ids.map((id) => byArxiv.get(id)).sort();
  /** The papers of the whole window through each surface, for list-page parameters. */
  const surfaces = async (params: string) => {
    const week = await json(`/api/week/2026-W45?${params}`);
    const search = await json(`/api/search?${params}&since=${WINDOW.from}&until=${WINDOW.to}&limit=100`);
    const feed = await new Parser().parseString(await (await fetch(`${server.url}/feeds/search.xml?${params}`)).text());
    return {
      list: names(week.papers.map((p: { arxivId: string }) => p.arxivId)),
      search: names(search.results.map((r: { id: string }) => r.id)),
      feed: names(feed.items.map((i) => i.link!.split('/papers/')[1])).filter((n) => n !== 'old'),
    };
  };
  const alert = async (fields: Partial<{ query: string; category: string; organization: string; author: string }>) => {
    const ranked = (await db.kysely.selectFrom('papers').select('id').orderBy('hotness', 'desc').execute()).map((r) => r.id);
    const matcher = new AlertMatcher(db, ranked, WINDOW);
    return (await matcher.match({ query: null, category: null, organization: null, author: null, ...fields })).map(nameOf).sort();
  };

  test('a category in any case, or a whole archive, selects the same papers on lists, search, feeds and alerts', async () => {
    for (const [value, expected] of [
      ['cs.lg', ['cl', 'lg', 'stat']],
      ['CS.LG', ['cl', 'lg', 'stat']],
      ['cs', ['cl', 'cv', 'lg', 'stat']],
      ['physics', ['optics']],
    ] as const) {
      const seen = await surfaces(`cat=${encodeURIComponent(value)}`);
      assert.deepEqual(seen, { list: expected, search: expected, feed: expected }, value);
      assert.deepEqual(await alert({ category: value }), expected, `alert for ${value}`);
    }
  });

  test('an organization by slug or name, and an author by surname, mean the same everywhere', async () => {
    for (const value of ['meta', 'Meta AI']) {
      const seen = await surfaces(`org=${encodeURIComponent(value)}`);
      assert.deepEqual(seen, { list: ['lg', 'stat'], search: ['lg', 'stat'], feed: ['lg', 'stat'] }, value);
      assert.deepEqual(await alert({ organization: value }), ['lg', 'stat']);
    }
    const byLecun = await surfaces('author=lecun');
    assert.deepEqual(byLecun, { list: ['lg'], search: ['lg'], feed: ['lg'] });
    assert.deepEqual(await alert({ author: 'LeCun' }), ['lg']);
  });

  test('operators in a query select what the same parameters select', async () => {
    const q = await json(`/api/search?q=${encodeURIComponent('cat:cs org:meta')}&since=${WINDOW.from}&limit=100`);
    assert.deepEqual(names(q.results.map((r: { id: string }) => r.id)), ['lg', 'stat']);
  });

  test('alerts and search feeds send only papers that match the whole query', async () => {
    assert.deepEqual(await alert({ query: 'protein folding' }), ['hep', 'lg', 'optics']);
    assert.deepEqual(await alert({ query: 'adversarial robustness' }), ['cv'], 'not the papers with only "robustness"');
    assert.deepEqual(await alert({ query: 'protein quantum' }), [], 'no paper has both: nothing, not the papers with one');
    const feed = await new Parser().parseString(await (await fetch(`${server.url}/feeds/search.xml?q=${encodeURIComponent('adversarial robustness')}`)).text());
    assert.deepEqual(names(feed.items.map((i) => i.link!.split('/papers/')[1])), ['cv']);
    const none = await new Parser().parseString(await (await fetch(`${server.url}/feeds/search.xml?q=${encodeURIComponent('protein quantum')}`)).text());
    assert.equal(none.items.length, 0);
  });

  test('a search feed lists the newest matching papers, however many older ones rank higher', async () => {
    const old = Array.from({ length: 1100 }, (_, i) => ({
      source: 'jsonl' as const,
      title: `Protein protein protein study ${i}`,
      abstract: 'Protein protein protein protein.',
      announcedOn: '2020-01-01',
    }));
    await addRecords(db, old);
    await addRecords(db, [{ source: 'arxiv-atom', arxivId: '2611.09999', title: 'A note on lattices', abstract: 'In passing, a protein.', announcedOn: '2026-11-06', categories: ['cs.DM'] }]);
    const feed = await new Parser().parseString(await (await fetch(`${server.url}/feeds/search.xml?q=protein`)).text());
    assert.equal(feed.items[0].link?.split('/papers/')[1], '2611.09999');
  });
});
