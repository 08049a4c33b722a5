import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { addRecords } from '../papers/papers.service.ts';
import { countVectorsByEmbedder } from './embed.repo.ts';
import { paperText, runEmbeddingJob, type EmbeddingProgress } from './embed.service.ts';
import { bytesToVector, dot, type Embedder } from './embedder.ts';
import { createHashingEmbedder } from './hashing-embedder.ts';

const TOPICS = ['graph neural networks', 'diffusion models', 'speech recognition', 'reinforcement learning', 'machine translation'];

function record(i: number): PaperRecord {
  return {
    source: 'arxiv-atom',
    arxivId: `2401.${String(10000 + i)}v1`,
    title: `Paper ${i} on ${TOPICS[i % TOPICS.length]}`,
    abstract: `We study ${TOPICS[i % TOPICS.length]} in setting number ${i}.`,
    authors: ['Ada Lovelace'],
    categories: ['cs.LG'],
    publishedAt: '2024-01-02T18:00:00Z',
    updatedAt: '2024-01-02T18:00:00Z',
    announcedOn: '2024-01-03',
  };
}

/** Wraps an embedder to count calls and optionally fail on call `failOn`. */
function instrumented(inner: Embedder, failOn?: number): Embedder & { calls: number; texts: number } {
  const e = {
    ...inner,
    calls: 0,
    texts: 0,
    async embed(texts: string[]) {
      e.calls++;
      if (e.calls === failOn) throw new Error('simulated crash');
      e.texts += texts.length;
      return inner.embed(texts);
    },
  };
  return e;
}

async function storedVectors(db: Db) {
  return db.kysely.selectFrom('paper_vectors').selectAll().orderBy('paper_id').execute();
}

describeEachDatabase('embedding job', (open) => {
  let db: Db;
  before(async () => {
    db = await open();
    await addRecords(db, Array.from({ length: 23 }, (_, i) => record(i)));
  });
  after(async () => db?.close());

  test('embeds every paper in batches with progress, storing little-endian float32 vectors', async () => {
    const embedder = instrumented(createHashingEmbedder(32, 'hashing:32:a'));
    const progress: EmbeddingProgress[] = [];
    const report = await runEmbeddingJob(db, embedder, { batchSize: 10, onProgress: (p) => progress.push(p) });
    assert.equal(report.embedded, 23);
    assert.equal(report.remaining, 0);
    assert.equal(report.aborted, false);
    assert.equal(embedder.calls, 3);
    assert.deepEqual(progress, [{ done: 0, total: 23 }, { done: 10, total: 23 }, { done: 20, total: 23 }, { done: 23, total: 23 }]);
    const rows = await storedVectors(db);
    assert.equal(rows.length, 23);
    const papers = await db.kysely.selectFrom('papers').select(['id', 'title', 'abstract']).orderBy('id').execute();
    const expected = await embedder.embed(papers.map(paperText));
    rows.forEach((r, i) => {
      assert.equal(r.embedder, 'hashing:32:a');
      assert.equal(r.dimensions, 32);
      assert.equal(r.vector.length, 32 * 4);
      const v = bytesToVector(r.vector);
      assert.ok(Math.abs(dot(v, expected[i]) - 1) < 1e-6);
    });
  });

  test('a second run has nothing to do', async () => {
    const embedder = instrumented(createHashingEmbedder(32, 'hashing:32:a'));
    const report = await runEmbeddingJob(db, embedder);
    assert.equal(report.embedded, 0);
    assert.equal(embedder.calls, 0);
  });

  test('a crash mid-way leaves finished batches stored, and the next run continues from there', async () => {
    const crashing = instrumented(createHashingEmbedder(16, 'hashing:16:b'), 3);
    await assert.rejects(runEmbeddingJob(db, crashing, { batchSize: 5 }), /simulated crash/);
    assert.deepEqual(await countVectorsByEmbedder(db.kysely), [
      { embedder: 'hashing:16:b', vectors: 10 },
      { embedder: 'hashing:32:a', vectors: 13 },
    ]);
    const resumed = instrumented(createHashingEmbedder(16, 'hashing:16:b'));
    const report = await runEmbeddingJob(db, resumed, { batchSize: 5 });
    assert.equal(report.embedded, 13, 'only the papers still on the old embedder');
    assert.equal(resumed.texts, 13);
    assert.deepEqual(await countVectorsByEmbedder(db.kysely), [{ embedder: 'hashing:16:b', vectors: 23 }]);
  });

  test('an abort stops between batches and reports what is left', async () => {
    const controller = new AbortController();
    const embedder = createHashingEmbedder(8, 'hashing:8:c');
    const report = await runEmbeddingJob(db, embedder, {
      batchSize: 4,
      signal: controller.signal,
      onProgress: (p) => p.done >= 8 && controller.abort(),
    });
    assert.equal(report.aborted, true);
    assert.equal(report.embedded, 8);
    assert.equal(report.remaining, 15);
  });

  test('reembed redoes every paper, and new papers are picked up', async () => {
    await addRecords(db, [record(100)]);
    const embedder = instrumented(createHashingEmbedder(8, 'hashing:8:c'));
    const incremental = await runEmbeddingJob(db, embedder, { batchSize: 50 });
    assert.equal(incremental.embedded, 16, '15 left by the abort + 1 new paper');
    const all = await runEmbeddingJob(db, embedder, { batchSize: 50, reembed: true });
    assert.equal(all.embedded, 24);
    assert.equal(all.remaining, 0);
    assert.deepEqual(await countVectorsByEmbedder(db.kysely), [{ embedder: 'hashing:8:c', vectors: 24 }]);
  });

  test('deleting a paper deletes its vector', async () => {
    const { id } = await db.kysely.selectFrom('papers').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await db.kysely.deleteFrom('paper_authors').where('paper_id', '=', id).execute();
    await db.kysely.deleteFrom('paper_categories').where('paper_id', '=', id).execute();
    await db.kysely.deleteFrom('papers').where('id', '=', id).execute();
    assert.deepEqual(await countVectorsByEmbedder(db.kysely), [{ embedder: 'hashing:8:c', vectors: 23 }]);
  });
});
