import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fetchHfDaily } from './hf.ts';
import { HttpError, PoliteHttpClient, USER_AGENT } from './http.ts';
import { startTestServer, type TestServer } from './test-server.ts';

const DAILY = readFileSync('test/fixtures/hf_daily_papers/2024-10-25_daily_papers_3items.json', 'utf8');
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

describe('fetchHfDaily', () => {
  it('GETs /api/daily_papers?date=… and returns the raw JSON with its parsed events', async () => {
    const server = await startTestServer((url) =>
      url.pathname === '/api/daily_papers' && url.searchParams.get('date') === '2024-10-25'
        ? { status: 200, body: DAILY, headers: { 'Content-Type': 'application/json' } }
        : { status: 404, body: 'not found' },
    );
    servers.push(server);
    const result = await fetchHfDaily({ date: '2024-10-25', baseUrl: `${server.baseUrl}/`, delayMs: 10 });
    assert.equal(result.json, DAILY);
    assert.equal(result.url, `${server.baseUrl}/api/daily_papers?date=2024-10-25`);
    const ids = result.events.flatMap((e) => (e.kind === 'record' ? [e.record.arxivId] : []));
    assert.deepEqual(ids, ['2410.17243', '2410.16251', '2410.18745']);
    assert.equal(result.events[0].location, `${result.url}:#0`);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].headers['user-agent'], USER_AGENT);
    assert.equal(server.requests[0].headers.accept, 'application/json');
  });

  it('fails at once, naming the URL, when the day is not there', async () => {
    const server = await startTestServer(() => ({ status: 404, body: '{"error":"Not found"}' }));
    servers.push(server);
    const client = new PoliteHttpClient({ minDelayMs: 10, backoffMs: 5 });
    await assert.rejects(fetchHfDaily({ date: '1999-01-01', baseUrl: server.baseUrl, client }), (err) => {
      assert.ok(err instanceof HttpError);
      assert.equal(err.status, 404);
      assert.match(err.message, /daily_papers\?date=1999-01-01 failed: HTTP 404/);
      return true;
    });
    assert.equal(server.requests.length, 1);
  });

  it('skips an item with an impossible date or upvotes by its position in the response, and drops a non-http link', async () => {
    const items = JSON.parse(DAILY);
    items[0].paper.submittedOnDailyAt = '+275760-09-13';
    items[1].paper.upvotes = 1e308;
    items[2].paper.githubRepo = 'javascript:alert(1)';
    const server = await startTestServer(() => ({ status: 200, body: JSON.stringify(items), headers: { 'Content-Type': 'application/json' } }));
    servers.push(server);
    const result = await fetchHfDaily({ date: '2024-10-25', baseUrl: server.baseUrl, delayMs: 10 });
    const skips = result.events.flatMap((e) => (e.kind === 'skip' ? [[e.location, e.reason]] : []));
    assert.deepEqual(skips.map(([where]) => where), [`${result.url}:#0`, `${result.url}:#1`]);
    assert.match(skips[0][1], /\+275760-09-13/);
    assert.match(skips[1][1], /^upvotes: /);
    const [kept] = result.events.flatMap((e) => (e.kind === 'record' ? [e] : []));
    assert.equal(kept.record.links?.code, undefined);
    assert.match(kept.notes?.[0] ?? '', /^links\.code: not an http\(s\) URL/);
  });

  it('rejects a malformed date before any request', async () => {
    await assert.rejects(fetchHfDaily({ date: '2024-10-5', baseUrl: 'http://127.0.0.1:9' }), { message: /date must be a real day YYYY-MM-DD/ });
  });
});
