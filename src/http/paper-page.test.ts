import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { addRecords } from '../papers/papers.service.ts';
import { MAX_BIBTEX_AUTHORS } from '../papers/bibtex.ts';
import { createApp } from './app.ts';

const BASE = 'https://papers.example.org';
const config = { ...loadConfig({}), logLevel: 'silent' as const, publicBaseUrl: BASE };

// The size of the byline of arXiv 2507.06261 (Gemini 2.5), the longest of the 74,728-paper corpus.
const HUGE = 3_302;
const huge: PaperRecord = {
  source: 'arxiv-jsonl',
  arxivId: '2507.06261',
  title: 'Gemini 2.5: Pushing the Frontier with Advanced Reasoning',
  abstract: 'In this report, we introduce the Gemini 2.X model family.',
  authors: Array.from({ length: HUGE }, (_, i) => `Given${i + 1} Family${i + 1}`),
  categories: ['cs.CL', 'cs.AI'],
  announcedOn: '2025-07-10',
};
const thirty: PaperRecord = {
  source: 'arxiv-atom',
  arxivId: '2507.00030',
  version: 2,
  doi: '10.1000/xyz.30',
  title: 'A paper by "thirty" <authors> & friends',
  abstract: 'Thirty people wrote this.',
  authors: Array.from({ length: 30 }, (_, i) => `Writer ${i + 1}`),
  categories: ['cs.LG'],
  publishedAt: '2025-07-01T17:59:59Z',
  announcedOn: '2025-07-02',
};
const countOnly: PaperRecord = { source: 'hf-daily', title: 'Known by its first two authors', authors: ['Ann One', 'Bob Two'], authorCount: 20, announcedOn: '2025-07-03' };

describeEachDatabase('paper page', (open) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const get = async (url: string) => {
    const res = await app.request(url);
    return { res, body: await res.text() };
  };
  /** The `content` of every `<meta name|property=...>` with that name, in page order. */
  const meta = (body: string, name: string) =>
    [...body.matchAll(/<meta (?:name|property)="([^"]+)" content="([^"]*)"\/?>/g)].filter((m) => m[1] === name).map((m) => m[2]);

  before(async () => {
    db = await open();
    await addRecords(db, [huge, thirty, countOnly]);
    app = createApp({ db, config, cacheTtlMs: 0 });
  });
  after(() => db.close());

  test('a 3,302-author byline: the first 12 names, "+3,290 more" behind a <details>, the full list one link away, a small page', async () => {
    const { res, body } = await get('/papers/2507.06261');
    assert.equal(res.status, 200);
    const byline = /<div class="authors">([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
    const [visible, hidden] = byline.split('<details');
    assert.equal([...visible.matchAll(/<a href="\/authors\/\d+">/g)].length, 12);
    assert.match(visible, /Given1 Family1<\/a>, .*Given12 Family12<\/a>/);
    assert.match(hidden, /<summary>\+3,290 more<span class="sr-only"> authors<\/span><\/summary>/);
    assert.match(hidden, />Given13 Family13<\/a>/);
    assert.ok(hidden.includes('>Given300 Family300</a>'));
    assert.ok(!hidden.includes('>Given301 Family301</a>'), 'the page holds at most 300 names');
    assert.match(hidden, /<a href="\/papers\/2507\.06261\/authors">All 3,302 authors<\/a>/);
    // Before: 202 KB with every name linked, 135 KB of it outside the BibTeX, which names the first
    // MAX_BIBTEX_AUTHORS and then BibTeX's own "and others" (styles print "et al.").
    const bibtex = /<pre id="bibtex"[\s\S]*?<\/pre>/.exec(body)?.[0] ?? '';
    assert.ok(bibtex.includes(`Given${MAX_BIBTEX_AUTHORS} Family${MAX_BIBTEX_AUTHORS} and others}`));
    const rest = Buffer.byteLength(body) - Buffer.byteLength(bibtex);
    assert.ok(rest < 30_000, `the page without its BibTeX is ${rest} bytes`);
    assert.ok(body.indexOf('id="abstract-title"') < body.indexOf('id="bibtex"'));

    const all = await get('/papers/2507.06261/authors');
    assert.equal(all.res.status, 200);
    const names = [...all.body.matchAll(/<li><a href="\/authors\/\d+">(Given\d+ Family\d+)<\/a><\/li>/g)].map((m) => m[1]);
    assert.equal(names.length, HUGE);
    assert.equal(names[HUGE - 1], `Given${HUGE} Family${HUGE}`);
    assert.match(all.body, /<a href="\/papers\/2507\.06261">Gemini 2\.5/);
    assert.match(all.body, /<link rel="canonical" href="https:\/\/papers\.example\.org\/papers\/2507\.06261\/authors"/);
    assert.equal((await get('/papers/2507.06261v1/authors')).res.headers.get('location'), '/papers/2507.06261/authors');
    assert.equal((await get('/papers/2507.99999/authors')).res.status, 404);
  });

  test('a 30-author byline expands in the page; a short one and a count-only one stay as they were', async () => {
    const { body } = await get('/papers/2507.00030');
    assert.match(body, /<summary>\+18 more<span class="sr-only"> authors<\/span><\/summary>/);
    assert.match(body, />Writer 30<\/a>/);
    assert.doesNotMatch(body, /All 30 authors/);
    const few = await get(`/papers/id/${(await db.kysely.selectFrom('papers').select('id').where('title', 'like', 'Known by%').executeTakeFirstOrThrow()).id}`);
    assert.match(few.body, /Bob Two<\/a> and 18 more/);
    assert.doesNotMatch(few.body, /<details/);
  });

  test('citation_* tags let Google Scholar and Zotero save the paper; author tags are bounded; all values escaped', async () => {
    const { body } = await get('/papers/2507.00030');
    assert.deepEqual(meta(body, 'citation_title'), ['A paper by &quot;thirty&quot; &lt;authors&gt; &amp; friends']);
    assert.deepEqual(meta(body, 'citation_author'), thirty.authors);
    assert.deepEqual(meta(body, 'citation_publication_date'), ['2025/07/01']);
    assert.deepEqual(meta(body, 'citation_arxiv_id'), ['2507.00030']);
    assert.deepEqual(meta(body, 'citation_doi'), ['10.1000/xyz.30']);
    assert.deepEqual(meta(body, 'citation_pdf_url'), ['https://arxiv.org/pdf/2507.00030']);
    assert.deepEqual(meta(body, 'citation_abstract_html_url'), [`${BASE}/papers/2507.00030`]);
    assert.deepEqual(meta(body, 'citation_abstract'), ['Thirty people wrote this.']);

    const gemini = await get('/papers/2507.06261');
    const authors = meta(gemini.body, 'citation_author');
    assert.equal(authors.length, 100);
    assert.equal(authors[99], 'Given100 Family100');
    assert.deepEqual(meta(gemini.body, 'citation_publication_date'), ['2025/07/10']);
    assert.deepEqual(meta(gemini.body, 'citation_doi'), []);
  });

  test('OpenGraph and Twitter card tags, with an absolute canonical link on PUBLIC_BASE_URL', async () => {
    const { body } = await get('/papers/2507.00030');
    assert.match(body, /<link rel="canonical" href="https:\/\/papers\.example\.org\/papers\/2507\.00030"\/?>/);
    assert.deepEqual(meta(body, 'og:url'), [`${BASE}/papers/2507.00030`]);
    assert.deepEqual(meta(body, 'og:type'), ['article']);
    assert.deepEqual(meta(body, 'og:site_name'), ['Paperboy']);
    assert.deepEqual(meta(body, 'og:title'), ['A paper by &quot;thirty&quot; &lt;authors&gt; &amp; friends']);
    assert.deepEqual(meta(body, 'og:description'), ['Thirty people wrote this.']);
    assert.deepEqual(meta(body, 'twitter:card'), ['summary']);
    assert.deepEqual(meta(body, 'twitter:title'), meta(body, 'og:title'));
    assert.deepEqual(meta(body, 'article:published_time'), ['2025-07-01T17:59:59.000Z']);
    const day = await get('/day/2025-07-02');
    assert.match(day.body, /<link rel="canonical" href="https:\/\/papers\.example\.org\/day\/2025-07-02"\/?>/);
    assert.deepEqual(meta(day.body, 'og:type'), ['website']);
  });

  test('copy buttons are in the page, hidden until the script runs; the BibTeX is plain selectable text', async () => {
    const { body } = await get('/papers/2507.00030');
    assert.match(body, /<button type="button" data-copy="bibtex" data-status="cite-status" hidden="">Copy BibTeX<\/button>/);
    assert.match(body, /<button type="button" data-copy-link="\/papers\/2507\.00030" data-status="link-status"[^>]*>Copy link<\/button>/);
    assert.match(body, /<pre id="bibtex"[^>]*>@misc\{/);
  });
});
