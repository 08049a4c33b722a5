import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dot, getEmbedder } from './embedder.ts';
import { createHashingEmbedder } from './hashing-embedder.ts';
import { createOpenAiEmbedder, EmbeddingApiError } from './openai-embedder.ts';
import { startEmbeddingsServer, type EmbeddingsRequest, type LocalServer } from './test-servers.ts';

describe('OpenAI-compatible embedder', () => {
  const servers: LocalServer<EmbeddingsRequest>[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));
  const start = async (opts: Parameters<typeof startEmbeddingsServer>[0] = {}) => {
    const server = await startEmbeddingsServer(opts);
    servers.push(server);
    return server;
  };

  it('probes the size, batches requests, reorders by index and normalizes', async () => {
    const server = await start({ dimensions: 64 });
    const embedder = await createOpenAiEmbedder({ baseUrl: server.baseUrl, apiKey: 'sk-test', model: 'nomic-embed-text', batchSize: 2 });
    assert.equal(embedder.dimensions, 64);
    assert.equal(embedder.id, 'openai:nomic-embed-text:64d');
    const texts = ['graph neural networks', 'diffusion models for images', 'neural graph networks', 'speech recognition', 'language models'];
    const vectors = await embedder.embed(texts);
    assert.equal(vectors.length, 5);
    // 1 probe + 3 batches of at most 2.
    assert.equal(server.requests.length, 4);
    assert.deepEqual(server.requests.slice(1).map((r) => r.body.input?.length), [2, 2, 1]);
    for (const r of server.requests) {
      assert.equal(r.path, '/v1/embeddings');
      assert.equal(r.headers.authorization, 'Bearer sk-test');
      assert.equal(r.body.model, 'nomic-embed-text');
    }
    const expected = await createHashingEmbedder(64).embed(texts);
    vectors.forEach((v, i) => {
      assert.ok(Math.abs(dot(v, v) - 1) < 1e-5, 'unit length');
      assert.ok(dot(v, expected[i]) > 0.9999, `text ${i} in its place`);
    });
  });

  it('accepts a base URL ending in /v1, sends no key when none is set, and gives empty texts zero vectors', async () => {
    const server = await start({ dimensions: 8 });
    const embedder = await createOpenAiEmbedder({ baseUrl: `${server.baseUrl}/v1/`, apiKey: undefined, model: 'm', dimensions: 8 });
    const [empty, full] = await embedder.embed(['  ', 'words here']);
    assert.equal(server.requests.length, 1, 'no probe when the size is given');
    assert.deepEqual(server.requests[0].body.input, ['words here']);
    assert.equal(server.requests[0].headers.authorization, undefined);
    assert.deepEqual(Array.from(empty), new Array(8).fill(0));
    assert.equal(full.length, 8);
  });

  it('retries 429 and 5xx answers, then succeeds', async () => {
    const server = await start({ fail: (k) => (k === 0 ? 503 : k === 1 ? 429 : undefined) });
    const embedder = await createOpenAiEmbedder({ baseUrl: server.baseUrl, apiKey: undefined, model: 'm', dimensions: 16, retryDelayMs: 1 });
    const [v] = await embedder.embed(['retry me']);
    assert.equal(v.length, 16);
    assert.equal(server.requests.length, 3);
  });

  it('gives up after the last attempt, and at once on a 4xx that retrying cannot fix', async () => {
    const failing = await start({ fail: () => 500 });
    const embedder = await createOpenAiEmbedder({ baseUrl: failing.baseUrl, apiKey: undefined, model: 'm', dimensions: 16, retryDelayMs: 1, maxAttempts: 3 });
    await assert.rejects(embedder.embed(['x']), (err: Error) => err instanceof EmbeddingApiError && /gave up after 3 attempts: HTTP 500/.test(err.message));
    assert.equal(failing.requests.length, 3);

    const unauthorized = await start({ fail: () => 401 });
    const e2 = await createOpenAiEmbedder({ baseUrl: unauthorized.baseUrl, apiKey: 'bad', model: 'm', dimensions: 16, retryDelayMs: 1 });
    await assert.rejects(e2.embed(['x']), /HTTP 401: .*scripted failure 401/);
    assert.equal(unauthorized.requests.length, 1);
  });

  it('retries a refused connection and reports it', async () => {
    const embedder = await createOpenAiEmbedder({ baseUrl: 'http://127.0.0.1:9', apiKey: undefined, model: 'm', dimensions: 4, retryDelayMs: 1, maxAttempts: 2 });
    await assert.rejects(embedder.embed(['x']), /gave up after 2 attempts/);
  });

  it('is what getEmbedder returns for EMBEDDER=openai', async () => {
    const server = await start({ dimensions: 12 });
    const embedder = await getEmbedder({
      embedder: { provider: 'openai', model: 'text-embedding-3-small', modelDir: '/nonexistent', openaiBaseUrl: server.baseUrl, openaiApiKey: 'k', hfEndpoint: 'http://127.0.0.1:9' },
    });
    assert.equal(embedder.id, 'openai:text-embedding-3-small:12d');
  });
});
