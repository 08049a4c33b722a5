/** The server's embedding job keeps one embedder for the life of the process and releases it when stopped. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { getEmbedder } from '../embed/embedder.ts';
import { writeFixtureModel } from '../embed/onnx-fixture.ts';
import { startEmbeddingsServer, type EmbeddingsRequest, type LocalServer } from '../embed/test-servers.ts';
import { addRecords } from '../papers/papers.service.ts';
import { startEmbeddingJob } from './embed.job.ts';
import type { Scheduler } from './scheduler.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the job now and resolves when that run is over (`stop` waits for a running job; then the job is stopped). */
async function runOnceAndStop(scheduler: Scheduler): Promise<void> {
  scheduler.wake('embed');
  await sleep(5); // the wake-up timer (0 ms) fires first: the run has started
  await scheduler.stop();
}

/** Runs the job now and resolves once it has logged a line matching `pattern`. */
async function runUntilLogged(scheduler: Scheduler, lines: string[], pattern: RegExp): Promise<void> {
  scheduler.wake('embed');
  for (let waited = 0; !lines.some((l) => pattern.test(l)); waited += 10) {
    if (waited > 20_000) throw new Error(`the job never logged ${pattern}; it logged ${JSON.stringify(lines)}`);
    await sleep(10);
  }
}

describeEachDatabase('embedding job of the server', (open) => {
  let db: Db;
  let api: LocalServer<EmbeddingsRequest>;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-embed-job-'));
  before(async () => {
    db = await open();
    api = await startEmbeddingsServer({ dimensions: 12 });
    await addRecords(db, [
      { source: 'arxiv-atom', arxivId: '2501.00200', title: 'Graph neural networks', abstract: 'Message passing on molecule graphs.' },
      { source: 'arxiv-atom', arxivId: '2501.00201', title: 'Speech recognition', abstract: 'Acoustic models for noisy rooms.' },
    ]);
  });
  after(async () => {
    await api?.close();
    await db?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('two runs load the embedder once, and whoever asks for the configured embedder gets that one', async () => {
    const config = loadConfig({ DATA_DIR: work, EMBEDDER: 'openai', EMBEDDER_MODEL: 'test-embed', OPENAI_BASE_URL: api.baseUrl });
    const probes = () => api.requests.filter((r) => r.body.input?.[0] === 'dimension probe').length;
    const lines: string[] = [];
    const scheduler = startEmbeddingJob(db, config, (l) => lines.push(l));
    await runUntilLogged(scheduler, lines, /2 papers embedded/);
    await getEmbedder(config);
    assert.equal(probes(), 1, 'search (getEmbedder) shares the embedder the job loaded');
    await runOnceAndStop(scheduler);
    assert.equal(probes(), 1, 'loading this embedder sends one probe request: it was loaded once');
    assert.equal(api.requests.length, 2, 'the probe and the one batch of papers; the second run had nothing to ask');
  });

  test('stopping the job closes the ONNX session it kept open', async () => {
    const modelDir = path.join(work, 'models');
    writeFixtureModel(path.join(modelDir, 'test-org/tiny-bert'));
    const config = loadConfig({ DATA_DIR: work, EMBEDDER: 'onnx', EMBEDDER_MODEL: 'test-org/tiny-bert', EMBEDDER_MODEL_DIR: modelDir });
    const lines: string[] = [];
    const scheduler = startEmbeddingJob(db, config, (l) => lines.push(l));
    await runUntilLogged(scheduler, lines, /2 papers embedded/);
    const shared = await getEmbedder(config);
    assert.equal((await shared.embed(['graph neural networks']))[0].length, 6);
    await scheduler.stop();
    await assert.rejects(shared.embed(['graph']), /disposed/, 'the session is released');
    const reloaded = await getEmbedder(config);
    assert.notEqual(reloaded, shared, 'a later caller loads a fresh one');
    assert.equal((await reloaded.embed(['graph']))[0].length, 6);
    await reloaded.close?.();
  });
});
