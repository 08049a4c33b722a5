import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { addRecords } from '../papers/papers.service.ts';
import { createApp } from './app.ts';

const config = { ...loadConfig({}), logLevel: 'silent' as const, publicBaseUrl: 'https://papers.example.org' };
const now = () => new Date('2026-11-23T12:00:00Z');

const paper = (id: string, title: string, day: string, extra: Partial<PaperRecord> = {}): PaperRecord => ({
  source: 'hf-daily',
  arxivId: id,
  title,
  abstract: `About ${title.toLowerCase()}.`,
  authors: ['Ada Lovelace', 'Alan Turing'],
  categories: ['cs.CV'],
  announcedOn: day,
  ...extra,
});

// Friday 2026-11-20 has three papers, the weekend none, Monday 2026-11-23 one (the newest day).
const records: PaperRecord[] = [
  paper('2611.00001', 'Diffusion models for images', '2026-11-20', { upvotes: 50, categories: ['cs.CV', 'cs.LG'], organization: { name: 'Hugging Face', slug: 'huggingface' } }),
  paper('2611.00002', 'Language models that reason', '2026-11-20', { upvotes: 5, categories: ['cs.CL'], organization: { name: 'Google', slug: 'google' } }),
  paper('2611.00003', 'Robots that learn', '2026-11-20', { categories: ['cs.RO'], authors: ['Grace Hopper'] }),
  paper('2611.00004', 'Older diffusion models for images', '2026-11-18', { upvotes: 200 }),
  paper('2611.00005', 'Energy on a Monday', '2026-11-23', { abstract: 'We show $E = mc^2$ holds.\n\nAlso $$\\int_0^1 x\\,dx$$ and a broken $\\frac{a$ stays text <b>here</b>.' }),
  paper('2610.00001', 'An October paper', '2026-10-30', { categories: ['cs.LG'] }),
];

describeEachDatabase('list pages', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  before(async () => {
    db = await open();
    await addRecords(db, records);
    app = createApp({ db, config, now });
  });
  after(() => db.close());

  const get = async (url: string) => {
    const res = await app.request(url);
    return { res, body: await res.text() };
  };
  const titles = (body: string) => [...body.matchAll(/<h2><a href="\/papers\/[^"]+">([^<]+)</g)].map((m) => m[1]);

  test('a day lists its papers by trending, and previous/next jump over days without papers', async () => {
    const { body } = await get('/day/2026-11-20');
    assert.deepEqual(titles(body), ['Diffusion models for images', 'Language models that reason', 'Robots that learn']);
    assert.match(body, /href="\/day\/2026-11-18" rel="prev"/);
    assert.match(body, /href="\/day\/2026-11-23" rel="next"/);
    // 20:00 EST on Thursday 19 November: 01:00 UTC (00:00 only while the US is on summer time).
    assert.match(body, /<time datetime="2026-11-20T01:00:00Z" data-local="true">Nov 20, 2026, 01:00 UTC<\/time>/);
  });

  test('a weekend day says there are no new papers and links the latest day and its neighbours', async () => {
    const { res, body } = await get('/day/2026-11-21');
    assert.equal(res.status, 200);
    assert.match(body, /No new papers on this day/);
    assert.match(body, /arXiv does not announce new papers on Saturdays/);
    assert.match(body, /The latest day with papers: <a href="\/day\/2026-11-23">Monday, November 23, 2026<\/a>/);
    assert.match(body, /href="\/day\/2026-11-20" rel="prev"/);
  });

  test('sorting by upvotes or newest, and filtering by category and organization, in and out', async () => {
    assert.deepEqual(titles((await get('/week/2026-W47?sort=upvotes')).body), ['Older diffusion models for images', 'Diffusion models for images', 'Language models that reason', 'Robots that learn']);
    assert.deepEqual(titles((await get('/week/2026-W47?sort=newest')).body), ['Robots that learn', 'Language models that reason', 'Diffusion models for images', 'Older diffusion models for images']);
    assert.deepEqual(titles((await get('/day/2026-11-20?cat=cs.LG')).body), ['Diffusion models for images']);
    assert.deepEqual(titles((await get('/day/2026-11-20?notcat=cs.CV&notcat=cs.RO')).body), ['Language models that reason']);
    assert.deepEqual(titles((await get('/day/2026-11-20?org=google')).body), ['Language models that reason']);
    assert.deepEqual(titles((await get('/day/2026-11-20?notorg=huggingface')).body), ['Language models that reason', 'Robots that learn']);
    const { body } = await get('/day/2026-11-20?cat=cs.LG');
    assert.match(body, /aria-label="Remove filter Category: cs.LG" href="\/day\/2026-11-20"|href="\/day\/2026-11-20" aria-label="Remove filter Category: cs.LG"/);
    assert.match((await get('/day/2026-11-20?cat=cs.NE')).body, /No papers match these filters/);
    assert.equal((await get('/day/2026-11-20?sort=random')).res.status, 400);
    assert.equal((await get('/day/2026-11-20?cat=%3Cscript%3E')).res.status, 400);
  });

  test('weeks and months; the date picker redirects to the clean URL; nonsense periods are not found', async () => {
    assert.deepEqual(titles((await get('/month/2026-10')).body), ['An October paper']);
    assert.match((await get('/week/2026-W47')).body, /Week 47 of 2026 \(Nov 16 – Nov 22\)/);
    assert.match((await get('/week/2026-W47')).body, /href="\/week\/2026-W44" rel="prev"/);
    for (const [from, to] of [
      ['/day?date=2026-11-20', '/day/2026-11-20'],
      ['/week?date=2026-11-20', '/week/2026-W47'],
      ['/month?date=2026-11-20', '/month/2026-11'],
    ]) {
      const { res } = await get(from);
      assert.equal(res.status, 302, from);
      assert.equal(res.headers.get('location'), to);
    }
    assert.equal((await get('/day?date=2026-02-30')).res.status, 400);
    for (const url of ['/day/2026-13-01', '/week/2026-W60', '/month/2026-1', '/day/20261120']) assert.equal((await get(url)).res.status, 404, url);
  });

  test('the "new" badge marks papers announced within the last day', async () => {
    assert.match((await get('/')).body, /Energy on a Monday<\/a><span class="badge">New<\/span>/);
    assert.doesNotMatch((await get('/day/2026-11-20')).body, /class="badge"/);
  });

  test('trending ranks the whole store by the stored hotness', async () => {
    const { body } = await get('/trending');
    assert.deepEqual(titles(body), ['Diffusion models for images', 'Energy on a Monday', 'Older diffusion models for images', 'Language models that reason', 'Robots that learn', 'An October paper']);
  });

  test('search highlights matches, filters by date and category, and explains itself when nothing matches', async () => {
    const { body } = await get('/search?q=diffusion');
    assert.match(body, /<mark>Diffusion<\/mark> models for images/);
    assert.match(body, /2 papers match/);
    assert.match(body, /How search reads your query/);
    assert.match((await get('/search?q=diffusion&from=2026-11-19')).body, /1 paper matches/);
    assert.match((await get('/search?q=diffusion&cat=cs.RO')).body, /No papers match “diffusion”/);
    const hostile = await get('/search?q=%3Cscript%3Ealert(1)%3C/script%3E');
    assert.doesNotMatch(hostile.body.replace(/<script src="\/assets\/app\.js[^>]+><\/script>/, ''), /<script/);
    assert.match(hostile.body, /value="&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
    assert.doesNotMatch((await get('/search')).body, /papers match/);
    assert.equal((await get('/search?q=x&from=yesterday')).res.status, 400);
  });

  test('author and organization pages list their papers newest first, with counts', async () => {
    const author = await db.kysely.selectFrom('authors').select('id').where('name', '=', 'Ada Lovelace').executeTakeFirstOrThrow();
    const { body } = await get(`/authors/${author.id}`);
    assert.match(body, /<h1>Ada Lovelace<\/h1>/);
    assert.match(body, /5 papers in this store/);
    assert.deepEqual(titles(body)[0], 'Energy on a Monday');
    assert.match(body, /Frequent co-authors/);
    const org = await get('/orgs/huggingface');
    assert.match(org.body, /<h1>Hugging Face<\/h1>/);
    assert.match(org.body, /1 paper in this store/);
    for (const url of ['/authors/999999', '/authors/99999999999', '/orgs/nobody']) assert.equal((await get(url)).res.status, 404, url);
  });

  test('the archive lists months and days with counts', async () => {
    const { body } = await get('/archive');
    assert.match(body, /<a href="\/month\/2026-11">November 2026<\/a> <span class="muted">5 papers<\/span>/);
    assert.match(body, /<a href="\/day\/2026-11-20"><span class="day">Fri 20<\/span> <span class="count">3<\/span>/);
  });

  test('the paper page typesets $...$ math with KaTeX, keeps the rest as text, and allows KaTeX styles there only', async () => {
    const { res, body } = await get('/papers/2611.00005');
    assert.match(body, /<span class="katex">.*<annotation encoding="application\/x-tex">E = mc\^2<\/annotation>/);
    assert.match(body, /class="katex-display"/);
    assert.match(body, /a broken \$\\frac\{a\$ stays text &lt;b&gt;here&lt;\/b&gt;/);
    assert.match(body, /<link rel="stylesheet" href="\/assets\/katex\.css\?v=/);
    assert.match(res.headers.get('content-security-policy') ?? '', /style-src-attr 'unsafe-inline'/);
    assert.match((await get('/papers/2611.00001')).res.headers.get('content-security-policy') ?? '', /style-src-attr 'none'/);
  });

  test('the paper page cites in BibTeX and lists similar papers', async () => {
    const { body } = await get('/papers/2611.00001');
    assert.match(body, /<pre id="bibtex"[^>]*>@misc\{lovelace2026diffusion,\n {2}title = \{\{Diffusion models for images\}\},\n {2}author = \{Ada Lovelace and Alan Turing\}/);
    assert.match(body, /data-copy="bibtex"[^>]*hidden/);
    assert.match(body, /Similar papers.*Older diffusion models for images/s);
    assert.match(body, /<a href="\/orgs\/huggingface">Hugging Face<\/a>/);
  });

  test('KaTeX stylesheet and fonts are served by Paperboy', async () => {
    const href = /href="(\/assets\/katex\.css\?v=[^"]+)"/.exec((await get('/papers/2611.00005')).body)![1];
    const css = await get(href);
    assert.equal(css.res.status, 200);
    const font = /url\((fonts\/KaTeX_Main-Regular\.woff2\?v=[^)]+)\)/.exec(css.body)![1];
    assert.doesNotMatch(css.body, /\.ttf|\.woff\)/);
    const res = await app.request(`/assets/${font}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'font/woff2');
  });

  test('every list has a JSON twin under /api with the same parameters', async () => {
    const json = async (url: string) => {
      const res = await app.request(url);
      assert.equal(res.status, 200, url);
      return res.json();
    };
    const day = await json('/api/day');
    assert.equal(day.period.key, '2026-11-23');
    assert.equal(day.papers[0].isNew, true);
    const friday = await json('/api/day/2026-11-20?sort=upvotes&notorg=google');
    assert.deepEqual(friday.papers.map((p: { title: string }) => p.title), ['Diffusion models for images', 'Robots that learn']);
    assert.equal(friday.prevPeriod, 'https://papers.example.org/api/day/2026-11-18?sort=upvotes&notorg=google');
    assert.equal(friday.papers[0].url, 'https://papers.example.org/papers/2611.00001');
    assert.equal((await json('/api/week/2026-W47')).total, 4);
    assert.equal((await json('/api/month/2026-10')).total, 1);
    assert.equal((await json('/api/trending')).papers[0].title, 'Diffusion models for images');
    assert.equal((await json('/api/search?q=diffusion')).total, 2);
    assert.equal((await json('/api/orgs/google')).organization.name, 'Google');
    assert.equal((await json('/api/archive')).months[0].days[0].url, 'https://papers.example.org/api/day/2026-11-23');
    const bad = await app.request('/api/day/2026-11-20?sort=nope');
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.status, 400);
  });
});
