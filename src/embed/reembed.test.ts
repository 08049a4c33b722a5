/** A paper's vector follows its text: a changed title or abstract is embedded again, other changes are not. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { addRecords } from '../papers/papers.service.ts';
import { VectorIndex } from '../search/vector-index.ts';
import { embeddingBacklog } from './embed.repo.ts';
import { paperText, runEmbeddingJob } from './embed.service.ts';
import { bytesToVector, dot, getEmbedder, type Embedder } from './embedder.ts';

const graphs: PaperRecord = {
  source: 'arxiv-atom',
  arxivId: '2501.00100v1',
  title: 'Learning on molecules',
  abstract: 'Graph neural networks predict chemical properties of molecules from their bonds and atoms.',
  categories: ['cs.LG'],
  updatedAt: '2025-01-02T00:00:00Z',
};
const others: PaperRecord[] = [
  { source: 'arxiv-atom', arxivId: '2501.00101v1', title: 'Robust speech recognition', abstract: 'Acoustic models transcribe speech recorded in noisy meeting rooms.' },
  { source: 'arxiv-atom', arxivId: '2501.00102v1', title: 'Diffusion for images', abstract: 'Denoising diffusion models synthesize photographs from noise.' },
];
/** Version 2 of the same paper: the authors rewrote the abstract around a different topic. */
const graphsV2: PaperRecord = {
  ...graphs,
  arxivId: '2501.00100v2',
  abstract: 'Large language models translate sentences between English and German with attention.',
  updatedAt: '2025-03-01T00:00:00Z',
};

describeEachDatabase('re-embedding changed papers', (open) => {
  let db: Db;
  let embedder: Embedder;
  let paperId: number;
  const storedVector = async () => {
    const row = await db.kysely.selectFrom('paper_vectors').select(['vector', 'created_at']).where('paper_id', '=', paperId).executeTakeFirstOrThrow();
    return { vector: bytesToVector(row.vector), createdAt: row.created_at };
  };

  before(async () => {
    db = await open();
    embedder = await getEmbedder(loadConfig({}));
    await addRecords(db, [graphs, ...others]);
    paperId = (await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', '2501.00100').executeTakeFirstOrThrow()).id;
    assert.equal((await runEmbeddingJob(db, embedder)).embedded, 3);
  });
  after(async () => db?.close());

  test('a new version with another abstract gets a new vector; the old one served until then', async () => {
    const index = new VectorIndex(embedder.id, embedder.dimensions, { refreshIntervalMs: 0 });
    await index.sync(db.kysely);
    const [translation] = await embedder.embed(['machine translation of English and German sentences with language models']);
    assert.notEqual((await index.search(translation, 1))[0]?.id, paperId, 'about molecules, not translation');
    const old = await storedVector();

    assert.deepEqual(await addRecords(db, [graphsV2]), { added: 0, updated: 1, unchanged: 0 });
    assert.deepEqual(await storedVector(), old, 'the import leaves the vector alone: search keeps using it');
    assert.deepEqual(await embeddingBacklog(db.kysely, embedder.id), { missing: 0, stale: 1 });
    const report = await runEmbeddingJob(db, embedder);
    assert.equal(report.embedded, 1, 'only the changed paper');
    assert.equal(report.remaining, 0);

    const fresh = await storedVector();
    const [expected] = await embedder.embed([paperText({ title: graphsV2.title, abstract: graphsV2.abstract! })]);
    assert.ok(dot(fresh.vector, expected) > 0.9999, 'made from the new text');
    assert.ok(dot(fresh.vector, old.vector) < 0.9, 'and different from the old one');
    await index.sync(db.kysely);
    assert.equal((await index.search(translation, 1))[0].id, paperId, 'search finds it by its new text');
    assert.ok(Math.abs(index.similarity(expected, paperId)! - 1) < 1e-4);
    assert.equal((await runEmbeddingJob(db, embedder)).embedded, 0, 'and then it is current');
  });

  test('a title changed by a newer record from another source is re-embedded too', async () => {
    const retitled: PaperRecord = { source: 'arxiv-oai', arxivId: '2501.00101', title: 'Speech recognition in noisy rooms', updatedAt: '2026-01-01T00:00:00Z' };
    assert.deepEqual(await addRecords(db, [retitled]), { added: 0, updated: 1, unchanged: 0 });
    assert.equal((await runEmbeddingJob(db, embedder)).embedded, 1);
  });

  test('a change to anything but title and abstract (upvotes, comment) does not re-embed', async () => {
    const before = await storedVector();
    const votes: PaperRecord = { source: 'hf-daily', arxivId: '2501.00100', title: graphsV2.title, upvotes: 42, comment: '12 pages' };
    assert.deepEqual(await addRecords(db, [votes]), { added: 0, updated: 1, unchanged: 0 });
    const { upvotes } = await db.kysely.selectFrom('papers').select('upvotes').where('id', '=', paperId).executeTakeFirstOrThrow();
    assert.equal(upvotes, 42);
    const report = await runEmbeddingJob(db, embedder);
    assert.equal(report.embedded, 0);
    assert.deepEqual(await storedVector(), before);
  });
});
