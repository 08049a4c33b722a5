import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dot, getEmbedder, type Embedder } from './embedder.ts';
import { pullModel } from './model-pull.ts';
import { FIXTURE_VOCAB, fixtureEmbedding, writeFixtureModel } from './onnx-fixture.ts';
import { startHubServer, type LocalServer } from './test-servers.ts';

const MODEL = 'test-org/tiny-bert';

/** What the fixture model should give: the normalized mean of its token embeddings, [CLS] and [SEP] included. */
function expected(tokens: string[]): Float32Array {
  const ids = ['[CLS]', ...tokens, '[SEP]'].map((t) => FIXTURE_VOCAB.indexOf(t));
  const sum = new Float32Array(fixtureEmbedding(0).length);
  for (const id of ids) fixtureEmbedding(id).forEach((x, k) => (sum[k] += x));
  const norm = Math.hypot(...sum);
  return sum.map((x) => x / norm);
}

describe('ONNX embedder and `models pull`', () => {
  let work: string;
  let hub: LocalServer<string>;
  let modelDir: string;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'paperboy-onnx-'));
    const source = path.join(work, 'hub-files');
    const files = writeFixtureModel(source);
    hub = await startHubServer({ [MODEL]: Object.fromEntries(files.map((f) => [f, path.join(source, f)])) });
    modelDir = path.join(work, 'models');
  });
  after(async () => {
    await hub.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('pulls a model from a hub into the model directory', async () => {
    const seen: string[] = [];
    const report = await pullModel({ model: MODEL, modelDir, endpoint: hub.baseUrl, onFile: (name) => seen.push(name) });
    assert.deepEqual(report.files.map((f) => f.name).sort(), ['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    assert.ok(report.missing.includes('1_Pooling/config.json'), 'optional files may be absent');
    assert.ok(hub.requests.includes(`/${MODEL}/resolve/main/onnx/model.onnx`));
    assert.ok(seen.includes('onnx/model.onnx'));
    const dir = path.join(modelDir, MODEL);
    assert.deepEqual(readFileSync(path.join(dir, 'onnx/model.onnx')), readFileSync(path.join(work, 'hub-files/onnx/model.onnx')));
    assert.equal(existsSync(path.join(dir, 'onnx/model.onnx.part')), false);
  });

  it('runs the pulled model offline through transformers.js, mean-pooled and normalized', async () => {
    const embedder: Embedder = await getEmbedder({
      embedder: { provider: 'onnx', model: MODEL, modelDir, openaiBaseUrl: 'http://127.0.0.1:9', openaiApiKey: undefined, hfEndpoint: 'http://127.0.0.1:9' },
    });
    try {
      assert.match(embedder.id, /^onnx:test-org\/tiny-bert:fp32:[0-9a-f]{12}$/);
      assert.equal(embedder.dimensions, 6);
      const [a, b, c] = await embedder.embed(['Graph neural networks', 'speech', 'graph neural networks of the image model']);
      for (const [got, want] of [[a, expected(['graph', 'neural', 'network', '##s'])], [b, expected(['speech'])], [c, expected(['graph', 'neural', 'network', '##s', 'of', 'the', 'image', 'model'])]] as const) {
        assert.equal(got.length, 6);
        assert.ok(dot(got, want) > 0.99999, `cosine ${dot(got, want)}`);
      }
    } finally {
      await embedder.close?.();
    }
  });

  it('says how to get a model that is not there', async () => {
    await assert.rejects(
      getEmbedder({ embedder: { provider: 'onnx', model: 'nobody/nothing', modelDir, openaiBaseUrl: 'http://127.0.0.1:9', openaiApiKey: undefined, hfEndpoint: 'http://127.0.0.1:9' } }),
      /paperboy models pull nobody\/nothing/,
    );
  });

  it('fails clearly when the hub lacks a required file or the name is unsafe', async () => {
    await assert.rejects(pullModel({ model: 'test-org/missing', modelDir, endpoint: hub.baseUrl }), /resolve\/main\/config.json: HTTP 404/);
    await assert.rejects(pullModel({ model: '../etc', modelDir, endpoint: hub.baseUrl }), /not a model name/);
  });
});
