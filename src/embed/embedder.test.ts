import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../config.ts';
import { bytesToVector, dot, getEmbedder, l2Normalize, vectorToBytes } from './embedder.ts';
import { createStaticEmbedder } from './static-embedder.ts';
import { knownTokens, tokenize } from './tokenize.ts';
import { readWordVectors, writeWordVectors, type WordVectors } from './vector-file.ts';

const work = mkdtempSync(path.join(tmpdir(), 'paperboy-embed-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('embedder configuration', () => {
  it('defaults to the bundled static embedder, models under DATA_DIR', () => {
    const c = loadConfig({ DATA_DIR: '/srv/paperboy' }).embedder;
    assert.deepEqual(c, {
      provider: 'static',
      model: 'arxiv',
      modelDir: '/srv/paperboy/models',
      openaiBaseUrl: 'https://api.openai.com',
      openaiApiKey: undefined,
      hfEndpoint: 'https://huggingface.co',
    });
  });

  it('reads provider settings, the API key from a file, and rejects an unknown provider', () => {
    const keyFile = path.join(work, 'key');
    writeFileSync(keyFile, 'sk-secret\n');
    const c = loadConfig({ EMBEDDER: 'openai', OPENAI_BASE_URL: 'http://localhost:11434/', OPENAI_API_KEY_FILE: keyFile, EMBEDDER_MODEL: 'nomic-embed-text' }).embedder;
    assert.equal(c.provider, 'openai');
    assert.equal(c.model, 'nomic-embed-text');
    assert.equal(c.openaiBaseUrl, 'http://localhost:11434');
    assert.equal(c.openaiApiKey, 'sk-secret');
    assert.equal(loadConfig({ EMBEDDER: 'onnx' }).embedder.model, 'Xenova/all-MiniLM-L6-v2');
    assert.throws(() => loadConfig({ EMBEDDER: 'word2vec' }), /EMBEDDER/);
  });
});

describe('vectors', () => {
  it('round-trip through the stored little-endian float32 bytes', () => {
    const v = Float32Array.from([0.5, -1.25, 3e-8, 0]);
    const bytes = vectorToBytes(v);
    assert.equal(bytes.length, 16);
    assert.deepEqual(Array.from(bytes.subarray(0, 4)), [0, 0, 0, 0x3f]);
    assert.deepEqual(bytesToVector(Buffer.concat([Buffer.from([9]), bytes]).subarray(1)), v, 'unaligned Buffer views decode too');
    assert.throws(() => bytesToVector(new Uint8Array(6)), /not a whole number/);
  });

  it('normalize to unit length, leaving zero vectors alone', () => {
    assert.deepEqual(Array.from(l2Normalize(Float32Array.from([3, 4]))), [0.6000000238418579, 0.800000011920929]);
    assert.deepEqual(Array.from(l2Normalize(new Float32Array(3))), [0, 0, 0]);
  });
});

describe('tokenizer', () => {
  it('keeps hyphenated terms, model names and decimals whole; drops URLs and LaTeX commands', () => {
    assert.deepEqual(tokenize('State-of-the-art GPT-4o on 3D Gaussians, 1.5x faster (see https://x.io/a). Über $\\alpha$-divergence'), [
      'state-of-the-art', 'gpt-4o', 'on', '3d', 'gaussians', '1.5x', 'faster', 'see', 'uber', 'divergence',
    ]);
  });

  it('falls back to the known parts of an unknown hyphenated term', () => {
    const known = new Set(['graph', 'based', 'real-time']);
    assert.deepEqual(knownTokens('Graph-based real-time foo-bar', (t) => known.has(t)), ['graph', 'based', 'real-time']);
  });
});

describe('word vector files', () => {
  it('store int8 values with a scale per word, close to the originals', () => {
    const wv: WordVectors = {
      meta: { name: 'test', source: 'test', license: 'CC0-1.0', totalCount: 10 },
      words: ['alpha', 'beta', 'über'],
      dimensions: 3,
      counts: Uint32Array.from([5, 3, 2]),
      vectors: Float32Array.from([1, -2, 0.5, 0.001, 0.002, -0.003, 0, 0, 0]),
    };
    const file = path.join(work, 'v.vec.gz');
    writeWordVectors(file, wv);
    const back = readWordVectors(file);
    assert.deepEqual(back.words, wv.words);
    assert.deepEqual(back.counts, wv.counts);
    assert.equal(back.meta.license, 'CC0-1.0');
    for (let i = 0; i < 9; i++) assert.ok(Math.abs(back.vectors[i] - wv.vectors[i]) <= (i < 3 ? 2 : 0.003) / 254 + 1e-9, `value ${i}`);
  });
});

describe('static embedder', () => {
  const table = (words: string[], vectors: number[][], counts: number[]): WordVectors => ({
    meta: { name: 't', source: 't', license: 't', totalCount: counts.reduce((a, b) => a + b) },
    words,
    dimensions: vectors[0].length,
    counts: Uint32Array.from(counts),
    vectors: Float32Array.from(vectors.flat()),
  });
  const corpus = table(['the', 'graph', 'network', 'image'], [[1, 1], [1, 0], [0.8, 0.2], [0, 1]], [1000, 10, 10, 10]);
  const general = table(['graph', 'picture'], [[1, 0, 0], [0, 0, 1]], [5, 5]);

  it('pools SIF-weighted word vectors per table, concatenates and normalizes', async () => {
    const e = createStaticEmbedder({ id: 'test:v1', tables: [{ vectors: corpus, weight: 1 }, { vectors: general, weight: 0.5 }], pooling: 'sif', sifA: 1e-3 });
    assert.equal(e.dimensions, 5);
    const [graph, picture, empty] = await e.embed(['the graph', 'picture', '!!']);
    // "the" is frequent (p = 0.97), so SIF nearly ignores it: "the graph" points along graph's vectors.
    const expected = l2Normalize(Float32Array.from([0.999, 0.018, 0.5, 0, 0]));
    assert.ok(dot(graph, expected) > 0.999, `got ${Array.from(graph)}`);
    assert.deepEqual(Array.from(picture), [0, 0, 0, 0, 1]);
    assert.deepEqual(Array.from(empty), [0, 0, 0, 0, 0]);
  });

  it('mean pooling weights every word alike', async () => {
    const e = createStaticEmbedder({ id: 'test:mean', tables: [{ vectors: corpus, weight: 1 }], pooling: 'mean' });
    const [v] = await e.embed(['the graph']);
    assert.ok(dot(v, l2Normalize(Float32Array.from([2, 1]))) > 0.99999);
  });

  it('the bundled model is offline, fast and puts related abstracts closer than unrelated ones', async () => {
    const e = await getEmbedder(loadConfig({}));
    assert.match(e.id, /^static:arxiv:v\d+$/);
    const [a, b, c] = await e.embed([
      'Graph neural networks for molecular property prediction',
      'Message passing networks on molecule graphs predict chemical properties',
      'A benchmark for speech recognition in noisy meeting rooms',
    ]);
    for (const v of [a, b, c]) assert.ok(Math.abs(dot(v, v) - 1) < 1e-5);
    assert.ok(dot(a, b) > dot(a, c) + 0.1, `related ${dot(a, b)} vs unrelated ${dot(a, c)}`);
  });
});
