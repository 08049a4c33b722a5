/** `paperboy embed` and `paperboy models pull` as a user runs them: real processes, a store under DATA_DIR, local servers. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { writeFixtureModel } from '../src/embed/onnx-fixture.ts';
import { startEmbeddingsServer, startHubServer, type EmbeddingsRequest, type LocalServer } from '../src/embed/test-servers.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-embed-cli-'));
const dataDir = path.join(work, 'data');

async function paperboy(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', EMBEDDER: '', EMBEDDER_MODEL: '', EMBEDDER_MODEL_DIR: '', ...env },
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('paperboy embed and models pull', () => {
  let hub: LocalServer<string>;
  let api: LocalServer<EmbeddingsRequest>;
  before(async () => {
    const source = path.join(work, 'hub');
    const files = writeFixtureModel(source);
    hub = await startHubServer({ 'test-org/tiny-bert': Object.fromEntries(files.map((f) => [f, path.join(source, f)])) });
    api = await startEmbeddingsServer({ dimensions: 24 });
    const r = await paperboy(['import', path.join(ROOT, 'test/fixtures/jsonl/arxiv_cs_daily_sample.jsonl.gz')]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await hub.close();
    await api.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('embed uses the bundled static embedder by default, and a second run has nothing to do', async () => {
    const first = await paperboy(['embed']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^static:arxiv:v\d+ \(\d+ dimensions\): 50 papers embedded in [\d.]+ s/m);
    const second = await paperboy(['embed']);
    assert.match(second.stdout, /: 0 papers embedded/);
    const status = await paperboy(['embed', '--status']);
    assert.match(status.stdout, /^\s+50  static:arxiv:v\d+$/m);
  });

  test('embed re-embeds a paper whose abstract a later import changed, and only that one', async () => {
    const v2 = path.join(work, 'v2.jsonl');
    const title = 'Industrial-Grade Sensor Simulation via Gaussian Splatting: A Modular Framework for Scalable Editing and Full-Stack Validation';
    fs.writeFileSync(v2, JSON.stringify({ id: '2503.11731v2', title, summary: 'We rewrote the abstract: protein folding with diffusion models.', first_seen: '2025-03-18' }) + '\n');
    const imported = await paperboy(['import', v2]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /1 updated/);
    const r = await paperboy(['embed']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^static:arxiv:v\d+ \(\d+ dimensions\): 1 papers embedded/m);
  });

  test('models pull fetches an ONNX model from the hub; EMBEDDER=onnx then re-embeds with it', async () => {
    const modelDir = path.join(work, 'models');
    const pull = await paperboy(['models', 'pull', 'test-org/tiny-bert'], { HF_ENDPOINT: hub.baseUrl, EMBEDDER_MODEL_DIR: modelDir });
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, /onnx\/model\.onnx/);
    assert.ok(fs.existsSync(path.join(modelDir, 'test-org/tiny-bert/onnx/model.onnx')));
    const r = await paperboy(['embed'], { EMBEDDER: 'onnx', EMBEDDER_MODEL: 'test-org/tiny-bert', EMBEDDER_MODEL_DIR: modelDir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^onnx:test-org\/tiny-bert:fp32:[0-9a-f]{12} \(6 dimensions\): 50 papers embedded/m);
  });

  test('models pull of an unknown model fails with the URL and status', async () => {
    const r = await paperboy(['models', 'pull', 'test-org/nothing'], { HF_ENDPOINT: hub.baseUrl, EMBEDDER_MODEL_DIR: path.join(work, 'models') });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /test-org\/nothing\/resolve\/main\/config\.json: HTTP 404/);
  });

  test('EMBEDDER=openai embeds through an OpenAI-compatible API; --reembed redoes every paper', async () => {
    const env = { EMBEDDER: 'openai', EMBEDDER_MODEL: 'nomic-embed-text', OPENAI_BASE_URL: api.baseUrl };
    const r = await paperboy(['embed', '--batch-size', '20'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^openai:nomic-embed-text:24d \(24 dimensions\): 50 papers embedded/m);
    const again = await paperboy(['embed', '--reembed'], env);
    assert.match(again.stdout, /: 50 papers embedded/);
    const status = await paperboy(['embed', '--status']);
    assert.match(status.stdout, /^\s+50  openai:nomic-embed-text:24d$/m);
  });
});
