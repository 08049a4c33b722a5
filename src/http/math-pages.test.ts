/** TeX in titles and abstracts, through HTTP: typeset where HTML is shown, Unicode text where only text can go. */
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
  abstract: 'A geometric attack on score models.',
  authors: ['Ada Lovelace'],
  categories: ['cs.LG'],
  announcedOn: day,
  ...extra,
});

const records: PaperRecord[] = [
  paper('2611.00001', 'GSBAK$^K$: $top$-$K$ Geometric Score-based Attack', '2026-11-20', {
    abstract: 'We attack with \\textbf{12\\%} gains and $\\alpha \\le 1$; code at \\url{https://github.com/a/gsbak} and https://x.org/y.',
    organization: { name: 'Math Lab', slug: 'math-lab' },
  }),
  paper('2611.00002', 'Di$\\mathtt{[M]}$O: Distilling Masked Diffusion', '2026-11-20'),
  paper('2611.00003', 'Plain geometric attack on score models', '2026-11-19', { authors: ['Grace Hopper'], organization: { name: 'Plain Lab', slug: 'plain-lab' } }),
];

describeEachDatabase('math in titles and abstracts', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  before(async () => {
    db = await open();
    await addRecords(db, records);
    app = createApp({ db, config, now, cacheTtlMs: 0 });
  });
  after(() => db.close());

  const get = async (url: string) => {
    const res = await app.request(url);
    assert.equal(res.status, 200, url);
    return { csp: res.headers.get('content-security-policy') ?? '', body: await res.text() };
  };
  const authorId = async (name: string) => (await db.kysely.selectFrom('authors').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

  test('lists typeset math in titles, link KaTeX\'s stylesheet and allow its inline styles; lists without math do not', async () => {
    const math = ['/day/2026-11-20', '/trending', '/search?q=geometric', `/authors/${await authorId('Ada Lovelace')}`, '/orgs/math-lab'];
    for (const url of math) {
      const { csp, body } = await get(url);
      assert.match(body, /<h2><a href="\/papers\/2611\.0000[12]">(<mark>)?(GSBAK|Di)(<\/mark>)?<span class="katex">/, url);
      // The TeX itself is kept only inside KaTeX's MathML annotation, never between dollars.
      assert.doesNotMatch(body, /\$\^K\$|\$\\mathtt/, url);
      assert.match(body, /<link rel="stylesheet" href="\/assets\/katex\.css\?v=/, url);
      assert.match(csp, /style-src-attr 'unsafe-inline'/, url);
    }
    for (const url of ['/day/2026-11-19', '/orgs/plain-lab', `/authors/${await authorId('Grace Hopper')}`, '/search?q=plain']) {
      const { csp, body } = await get(url);
      assert.doesNotMatch(body, /katex/, url);
      assert.match(csp, /style-src-attr 'none'/, url);
    }
  });

  test('search results mark the query words beside the typeset math', async () => {
    const { body } = await get('/search?q=gsbak');
    assert.match(body, /<h2><a href="\/papers\/2611\.00001"><mark>GSBAK<\/mark><span class="katex">.*?<\/span>: <span class="katex">/);
  });

  test('the paper page: typeset h1, Unicode <title>, markup in the abstract, BibTeX with the TeX as written', async () => {
    const { csp, body } = await get('/papers/2611.00001');
    assert.match(body, /<title>GSBAKᴷ: top-K Geometric Score-based Attack · Paperboy<\/title>/);
    assert.match(body, /<h1>GSBAK<span class="katex">/);
    assert.match(body, /We attack with <b>12%<\/b> gains and <span class="katex">/);
    assert.match(body, /code at <a href="https:\/\/github\.com\/a\/gsbak" rel="nofollow noopener">https:\/\/github\.com\/a\/gsbak<\/a> and <a href="https:\/\/x\.org\/y" rel="nofollow noopener">https:\/\/x\.org\/y<\/a>\./);
    assert.match(body, /title = \{\{GSBAK\$\^K\$: \$top\$-\$K\$ Geometric Score-based Attack\}\}/);
    assert.match(csp, /style-src-attr 'unsafe-inline'/);
  });

  test('feeds carry titles and summaries as readable text', async () => {
    const rss = (await get('/feeds/daily.xml?date=2026-11-20')).body;
    assert.match(rss, /<title>GSBAKᴷ: top-K Geometric Score-based Attack<\/title>/);
    assert.match(rss, /<description>We attack with 12% gains and α ≤ 1; code at https:\/\/github\.com\/a\/gsbak and https:\/\/x\.org\/y\.<\/description>/);
    const atom = (await get('/feeds/daily.xml?date=2026-11-20&format=atom')).body;
    assert.match(atom, /<title type="text">Di\[M\]O: Distilling Masked Diffusion<\/title>/);
  });
});
