import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startArxivStandIn, type ArxivStandIn } from '../../test/arxiv-stand-in.ts';
import { fetchArxivPapers } from './arxiv-ids.ts';
import { PoliteHttpClient } from './http.ts';

let arxiv: ArxivStandIn;
const client = new PoliteHttpClient({ minDelayMs: 0, retries: 0 });
before(async () => (arxiv = await startArxivStandIn()));
after(() => arxiv.close());

test('fetches papers by id in one id_list request and says which ids arXiv does not have', async () => {
  const got = await fetchArxivPapers(['2201.13455', '2201.13452v1', '2201.13453', '2201.13454'], { baseUrl: arxiv.apiUrl, client });
  assert.deepEqual(got.records.map((r) => [r.arxivId, r.version]), [['2201.13452', 1]]);
  assert.equal(got.records[0].title, 'Asymptotic Analysis for a Nonlinear Reaction-Diffusion System Modeling an Infectious Disease');
  assert.deepEqual(got.missing, ['2201.13455', '2201.13453', '2201.13454']);
  const query = arxiv.requests.at(-1)!.url;
  assert.equal(query.searchParams.get('id_list'), '2201.13455,2201.13452,2201.13453,2201.13454');
  assert.equal(query.searchParams.get('max_results'), '4');
});

test('an id arXiv does not know comes back missing; no ids, no request', async () => {
  const before = arxiv.requests.length;
  assert.deepEqual(await fetchArxivPapers([], { baseUrl: arxiv.apiUrl, client }), { records: [], missing: [] });
  assert.equal(arxiv.requests.length, before);
  const got = await fetchArxivPapers(['1201.56789'], { baseUrl: arxiv.apiUrl, client });
  assert.deepEqual(got, { records: [], missing: ['1201.56789'] });
});

test('more ids than one request holds are asked in batches, each id once', async () => {
  const ids = Array.from({ length: 55 }, (_, i) => `1201.${String(50000 + i)}`);
  const before = arxiv.requests.length;
  const got = await fetchArxivPapers([...ids, ids[0]], { baseUrl: arxiv.apiUrl, client, batchSize: 50 });
  assert.equal(arxiv.requests.length - before, 2);
  assert.equal(got.missing.length, 55);
});

test('a failing arXiv is an error that names the request', async () => {
  await assert.rejects(fetchArxivPapers(['2206.06921', '2201.13452'], { baseUrl: arxiv.apiUrl, client }), /id_list/);
});
