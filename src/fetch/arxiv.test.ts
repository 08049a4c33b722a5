import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { PaperRecord } from '../papers/paper.ts';
import type { ParseEvent } from '../importers/types.ts';
import { fetchArxiv, inCategory, oaiSetFor, type ArxivPageInfo, type FetchArxivOptions } from './arxiv.ts';
import { startTestServer, type ScriptedReply, type TestServer } from './test-server.ts';

const read = (file: string) => readFileSync(`test/fixtures/${file}`, 'utf8');
const HEP_EX = read('arxiv_oai_pmh/2017-12_ListRecords_arXiv_set-physics-hep-ex.xml');
const HEP_TH = read('arxiv_oai_pmh/2017-12_ListRecords_arXiv_set-physics-hep-th.xml');
const MATH_CA = read('arxiv_api_atom/2025-11_search_cat-math.CA_AND_ti-diffuse.xml');
const EMPTY = read('arxiv_api_atom/2025-11_idlist_1201.56789_empty.xml');

// Neither arXiv-format fixture has a resumptionToken, so the two pages are derived from them: page 1 is
// the hep-ex file with the token of the real oai_dc capture added, page 2 the hep-th file with the
// empty token arXiv sends on the last page.
const PAGE_1 = HEP_EX.replace('</ListRecords>', '<resumptionToken cursor="0" completeListSize="6">6960524|1001</resumptionToken>\n</ListRecords>');
const PAGE_2 = HEP_TH.replace('</ListRecords>', '<resumptionToken cursor="3" completeListSize="6"/>\n</ListRecords>');

const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function serve(reply: (url: URL, index: number) => ScriptedReply): Promise<TestServer> {
  const server = await startTestServer(reply);
  servers.push(server);
  return server;
}

async function collect(options: FetchArxivOptions): Promise<{ batches: ParseEvent[][]; pages: ArxivPageInfo[] }> {
  const pages: ArxivPageInfo[] = [];
  const batches: ParseEvent[][] = [];
  for await (const batch of fetchArxiv({ ...options, onPage: (p) => pages.push(p) })) batches.push(batch);
  return { batches, pages };
}

const ids = (batch: ParseEvent[]) =>
  batch.flatMap((e) => (e.kind === 'record' ? [(e.record as PaperRecord).arxivId] : []));

describe('oaiSetFor and inCategory', () => {
  it('maps categories to the OAI set of their archive', () => {
    assert.equal(oaiSetFor('cs.LG'), 'cs');
    assert.equal(oaiSetFor('math.CA'), 'math');
    assert.equal(oaiSetFor('hep-th'), 'physics:hep-th');
    assert.equal(oaiSetFor('cond-mat.str-el'), 'physics:cond-mat');
    assert.equal(oaiSetFor('q-bio.NC'), 'q-bio');
  });

  it('matches a category exactly, or every category of a bare archive', () => {
    assert.ok(inCategory(['stat.ML', 'cs.LG'], 'cs.LG'));
    assert.ok(!inCategory(['cs.LGX'], 'cs.LG'));
    assert.ok(inCategory(['cs.CV'], 'cs'));
    assert.ok(!inCategory(['math.CA'], 'cs'));
  });
});

describe('fetchArxiv via OAI-PMH', () => {
  it('follows the resumptionToken, rides out a 503, filters by category and keeps the spacing', async () => {
    const server = await serve((_url, i) =>
      i === 0
        ? { status: 200, body: PAGE_1 }
        : i === 1
          ? { status: 503, headers: { 'Retry-After': '0' }, body: 'Retry after 0 seconds' }
          : { status: 200, body: PAGE_2 },
    );
    const startedAt = performance.now();
    const { batches, pages } = await collect({
      category: 'hep-ex', since: '2017-12-14', via: 'oai', baseUrl: `${server.baseUrl}/oai2`, delayMs: 100,
    });

    assert.equal(server.requests.length, 3);
    const [first, retried, second] = server.requests.map((r) => r.url);
    assert.equal(first.pathname, '/oai2');
    assert.deepEqual(Object.fromEntries(first.searchParams), {
      verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'physics:hep-ex', from: '2017-12-14',
    });
    assert.deepEqual(Object.fromEntries(second.searchParams), { verb: 'ListRecords', resumptionToken: '6960524|1001' });
    assert.deepEqual(retried.searchParams.toString(), second.searchParams.toString());
    server.assertSpacing(startedAt, 100);

    // Page 2 (hep-th) holds no hep-ex paper, so it contributes an empty batch.
    assert.deepEqual(batches.map(ids), [['1706.05371', '1706.09418', '1707.00874'], []]);
    assert.deepEqual(pages.map((p) => [p.page, p.records, p.total]), [[1, 3, 6], [2, 0, 6]]);
    assert.match(pages[1].url, /resumptionToken=6960524%7C1001$/);
  });

  it('keeps records of the asked category from a broader set', async () => {
    const server = await serve(() => ({ status: 200, body: HEP_TH }));
    const { batches } = await collect({
      category: 'math-ph', since: '2017-12-14', until: '2017-12-15', via: 'oai', baseUrl: server.baseUrl, delayMs: 10,
    });
    assert.deepEqual(batches.map(ids), [['1412.8323', '1507.07790']]);
    assert.equal(server.requests[0].url.searchParams.get('until'), '2017-12-15');
  });

  it('skips a record whose date is not a date, by its position and line in the response', async () => {
    // These records are revisions, dated by their first version's <created> (their datestamp is the revision's day).
    const body = HEP_TH.replace(/<created>[^<]*<\/created>/, '<created>not-a-date</created>');
    const server = await serve(() => ({ status: 200, body }));
    const { batches } = await collect({ category: 'hep-th', since: '2017-12-14', via: 'oai', baseUrl: server.baseUrl, delayMs: 10 });
    const [skip] = batches[0].filter((e) => e.kind === 'skip');
    assert.ok(skip && skip.kind === 'skip');
    assert.match(skip.location, /^http:\/\/127\.0\.0\.1:\d+\/?\?verb=ListRecords.*:record 1 \(line \d+\)$/);
    assert.match(skip.reason, /publishedAt: "not-a-date"/);
    assert.equal(ids(batches[0]).length, 2);
  });

  it('rejects a day that does not exist before any request', async () => {
    await assert.rejects(collect({ category: 'cs.LG', since: '2017-02-30', via: 'oai', baseUrl: 'http://127.0.0.1:9', delayMs: 10 }), {
      message: 'fetchArxiv: since must be a real day YYYY-MM-DD, got "2017-02-30"',
    });
  });

  it('ends quietly when no records match', async () => {
    const body = HEP_EX.replace(/<ListRecords>[\s\S]*<\/ListRecords>/, '<error code="noRecordsMatch">No records match</error>');
    const server = await serve(() => ({ status: 200, body }));
    const { batches } = await collect({ category: 'hep-ex', since: '2030-01-01', via: 'oai', baseUrl: server.baseUrl, delayMs: 10 });
    assert.deepEqual(batches, [[]]);
    assert.equal(server.requests.length, 1);
  });

  it('rejects a malformed date before any request', async () => {
    await assert.rejects(collect({ category: 'cs.LG', since: '14/12/2017', via: 'oai', baseUrl: 'http://127.0.0.1:9', delayMs: 10 }), {
      message: 'fetchArxiv: since must be a real day YYYY-MM-DD, got "14/12/2017"',
    });
  });
});

describe('fetchArxiv via the search API', () => {
  // The fixture holds 10 of 100 results; start=10 answers with the real empty response.
  const pager = (url: URL): ScriptedReply => ({ status: 200, body: url.searchParams.get('start') === '0' ? MATH_CA : EMPTY });

  it('pages with start/max_results until the results run out', async () => {
    const server = await serve(pager);
    const startedAt = performance.now();
    const { batches, pages } = await collect({
      category: 'math.CA', since: '2000-01-01', via: 'api', baseUrl: `${server.baseUrl}/api/query`, delayMs: 100, pageSize: 10,
    });
    assert.equal(server.requests.length, 2);
    assert.deepEqual(Object.fromEntries(server.requests[0].url.searchParams), {
      search_query: 'cat:math.CA', sortBy: 'submittedDate', sortOrder: 'descending', start: '0', max_results: '10',
    });
    assert.equal(server.requests[1].url.searchParams.get('start'), '10');
    server.assertSpacing(startedAt, 100);
    assert.equal(batches[0].length, 10);
    assert.equal(ids(batches[0])[0], '1506.07840');
    assert.deepEqual(pages.map((p) => [p.records, p.total]), [[10, 100], [0, 0]]);
  });

  it('stops once results predate `since`, and drops those after `until`', async () => {
    const server = await serve(pager);
    const { batches } = await collect({
      category: 'math.CA', since: '2016-01-01', until: '2019-12-31', via: 'api', baseUrl: server.baseUrl, delayMs: 10, pageSize: 10,
    });
    assert.equal(server.requests.length, 1);
    assert.deepEqual(batches.map(ids), [['1810.03952', '1706.08197', '1704.03514', '1608.03628']]);
  });
});
