import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { HttpError, PoliteHttpClient, USER_AGENT, retryAfterMs, userAgentWith } from './http.ts';
import { startTestServer, type ScriptedReply, type TestServer } from './test-server.ts';

// Timing bounds are generous on purpose: they check that a wait happened, not how precise it was.
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function serve(script: ScriptedReply[]): Promise<TestServer> {
  const server = await startTestServer((_url, i) => script[Math.min(i, script.length - 1)]);
  servers.push(server);
  return server;
}

const ok: ScriptedReply = { status: 200, body: '<ok/>' };
const fast = { minDelayMs: 10, backoffMs: 5, timeoutMs: 5000 };

describe('PoliteHttpClient', () => {
  it('spaces requests to one host, sequential or concurrent, and sends its User-Agent', async () => {
    const server = await serve([ok]);
    const client = new PoliteHttpClient({ ...fast, minDelayMs: 100 });
    const startedAt = performance.now();
    for (let i = 0; i < 3; i++) assert.equal(await client.getText(`${server.baseUrl}/a`), '<ok/>');
    await Promise.all([1, 2, 3].map(() => client.getText(`${server.baseUrl}/b`)));
    assert.equal(server.requests.length, 6);
    server.assertSpacing(startedAt, 100);
    assert.equal(server.requests[0].headers['user-agent'], USER_AGENT);
    assert.equal(USER_AGENT, 'Paperboy/0.1 (+self-hosted)');
  });

  it('keeps the spacing between the starts of requests when one of them starts late (a busy event loop)', async () => {
    const server = await serve([ok]);
    const client = new PoliteHttpClient({ ...fast, minDelayMs: 300 });
    await client.getText(`${server.baseUrl}/a`);
    // The second request waits for its slot; the thread is then busy past that slot, so it starts late...
    const second = client.getText(`${server.baseUrl}/b`);
    setTimeout(() => {
      const until = performance.now() + 250;
      while (performance.now() < until);
    }, 200);
    await second;
    // ...and the third must still wait a whole interval after the second's real start, not after its slot.
    await client.getText(`${server.baseUrl}/c`);
    // Measured at the server, so each gap carries the jitter of one request's way there (the old code left 140 ms).
    const [a, b, c] = server.requests.map((r) => r.at);
    assert.ok(b - a >= 250, `b started ${(b - a).toFixed(0)} ms after a`);
    assert.ok(c - b >= 250, `c started ${(c - b).toFixed(0)} ms after b, which started late`);
  });

  it('names the operator\'s contact address in its User-Agent when the configuration gives one', () => {
    assert.equal(userAgentWith('ops@lab.example'), 'Paperboy/0.1 (+self-hosted; mailto:ops@lab.example)');
    assert.equal(userAgentWith(undefined), USER_AGENT);
  });

  it('asks conditionally and takes a 304 as "not modified", with the validators to ask with next time', async () => {
    const server = await startTestServer((_url, i, headers) =>
      i > 0 && headers['if-none-match'] === '"v1"'
        ? { status: 304 }
        : { status: 200, body: '<ok/>', headers: { ETag: '"v1"', 'Last-Modified': 'Tue, 01 Dec 2026 10:00:00 GMT' } },
    );
    servers.push(server);
    const client = new PoliteHttpClient(fast);
    const first = await client.getConditional(`${server.baseUrl}/feed`, {});
    assert.deepEqual(first, { status: 200, body: '<ok/>', etag: '"v1"', lastModified: 'Tue, 01 Dec 2026 10:00:00 GMT' });
    const second = await client.getConditional(`${server.baseUrl}/feed`, { etag: first.etag, lastModified: first.lastModified });
    assert.deepEqual(second, { status: 304, etag: '"v1"', lastModified: 'Tue, 01 Dec 2026 10:00:00 GMT' });
    assert.equal(server.requests[1].headers['if-none-match'], '"v1"');
    assert.equal(server.requests[1].headers['if-modified-since'], 'Tue, 01 Dec 2026 10:00:00 GMT');
  });

  it('hands a Retry-After longer than it may wait back to its caller, rather than asking again sooner', async () => {
    const server = await serve([{ status: 503, headers: { 'Retry-After': '3600' }, body: 'Retry after 3600 seconds' }, ok]);
    const client = new PoliteHttpClient({ ...fast, maxRetryAfterMs: 80, deferLongRetryAfter: true });
    await assert.rejects(client.getText(`${server.baseUrl}/oai2`), (err) => {
      assert.ok(err instanceof HttpError);
      assert.equal(err.status, 503);
      assert.equal(err.retryAfterMs, 3_600_000);
      assert.match(err.message, /asks to come back in 3600 s/);
      return true;
    });
    assert.equal(server.requests.length, 1);
  });

  it('waits as long as a 503 Retry-After says, then succeeds', async () => {
    const server = await serve([{ status: 503, headers: { 'Retry-After': '1' }, body: 'Retry after 1 second' }, ok]);
    const body = await new PoliteHttpClient(fast).getText(`${server.baseUrl}/oai2?verb=Identify`);
    assert.equal(body, '<ok/>');
    assert.equal(server.requests.length, 2);
    const [gap] = server.gaps();
    assert.ok(gap >= 900 && gap < 5000, `waited ${gap.toFixed(0)} ms for Retry-After: 1`);
  });

  it('caps an unreasonable Retry-After', async () => {
    const server = await serve([{ status: 503, headers: { 'Retry-After': '3600' } }, ok]);
    await new PoliteHttpClient({ ...fast, maxRetryAfterMs: 80 }).getText(`${server.baseUrl}/x`);
    const [gap] = server.gaps();
    assert.ok(gap >= 65 && gap < 3000, `waited ${gap.toFixed(0)} ms, cap is 80 ms`);
  });

  it('backs off after a 429 without Retry-After, then succeeds', async () => {
    const server = await serve([{ status: 429, body: 'slow down' }, ok]);
    assert.equal(await new PoliteHttpClient({ ...fast, backoffMs: 80 }).getText(`${server.baseUrl}/x`), '<ok/>');
    assert.equal(server.requests.length, 2);
    assert.ok(server.gaps()[0] >= 65, `waited ${server.gaps()[0].toFixed(0)} ms, backoff is 80 ms`);
  });

  it('gives up on a permanent 500 after the last retry, naming URL and status', async () => {
    const server = await serve([{ status: 500, body: '<h1>boom</h1>' }]);
    const url = `${server.baseUrl}/api/query?start=0`;
    await assert.rejects(new PoliteHttpClient({ ...fast, retries: 3, backoffMs: 20 }).getText(url), (err) => {
      assert.ok(err instanceof HttpError);
      assert.equal(err.status, 500);
      assert.equal(err.attempts, 4);
      assert.equal(err.message, `GET ${url} failed after 4 attempts: HTTP 500 Internal Server Error (boom)`);
      return true;
    });
    assert.equal(server.requests.length, 4);
    // Exponential: 20, 40, 80 ms.
    const gaps = server.gaps();
    assert.ok(gaps[0] >= 15 && gaps[1] >= 32 && gaps[2] >= 65, `gaps ${gaps.map((g) => g.toFixed(0))}`);
  });

  it('fails at once on a 404', async () => {
    const server = await serve([{ status: 404, body: 'no such page' }, ok]);
    const url = `${server.baseUrl}/missing`;
    await assert.rejects(new PoliteHttpClient(fast).getText(url), {
      name: 'HttpError',
      message: `GET ${url} failed: HTTP 404 Not Found (no such page)`,
    });
    assert.equal(server.requests.length, 1);
  });

  it('retries a dropped connection', async () => {
    const server = await serve(['drop', ok]);
    assert.equal(await new PoliteHttpClient(fast).getText(`${server.baseUrl}/x`), '<ok/>');
    assert.equal(server.requests.length, 2);
  });

  it('times out a silent server and says so', async () => {
    const server = await serve(['hang']);
    const url = `${server.baseUrl}/slow`;
    await assert.rejects(new PoliteHttpClient({ ...fast, retries: 1, timeoutMs: 100 }).getText(url), {
      message: `GET ${url} failed after 2 attempts: no response within 100 ms`,
    });
    assert.equal(server.requests.length, 2);
  });
});

describe('retryAfterMs', () => {
  it('reads delay-seconds and HTTP dates', () => {
    assert.equal(retryAfterMs('120'), 120_000);
    assert.equal(retryAfterMs(null), undefined);
    assert.equal(retryAfterMs('soon'), undefined);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const ms = retryAfterMs(inTenSeconds) ?? -1;
    assert.ok(ms > 8000 && ms <= 10_000, String(ms));
  });
});
