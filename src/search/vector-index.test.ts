import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { vectorToBytes } from '../embed/embedder.ts';
import { upsertVectors } from '../embed/embed.repo.ts';
import { addRecords } from '../papers/papers.service.ts';
import { tryFileLock } from '../db/file-lock.ts';
import { GRAPH_SUFFIX, VectorIndex } from './vector-index.ts';

/** A seeded generator (mulberry32), so every run draws the same vectors. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

const DIMS = 16;
const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};

describeEachDatabase('vector index', (open) => {
  let db: Db;
  const ids: number[] = [];
  const vectors = new Map<number, Float32Array>();
  const rnd = random(7);
  const draw = () => unit(Array.from({ length: DIMS }, rnd));
  const store = async (rows: { id: number; v: Float32Array }[], at: string, embedder = 'test:16', dims = DIMS) => {
    for (const r of rows) if (embedder === 'test:16') vectors.set(r.id, r.v);
    await upsertVectors(db.kysely, embedder, dims, rows.map((r) => ({ paperId: r.id, vector: vectorToBytes(r.v) })), at);
  };
  const bruteForce = (q: Float32Array, k: number) =>
    [...vectors].map(([id, v]) => ({ id, score: v.reduce((s, x, i) => s + x * q[i], 0) })).sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);

  before(async () => {
    db = await open();
    await addRecords(db, Array.from({ length: 320 }, (_, i) => ({ source: 'arxiv-atom' as const, arxivId: `2501.${String(10000 + i)}`, title: `Paper ${i}` })));
    ids.push(...(await db.kysely.selectFrom('papers').select('id').orderBy('id').execute()).map((r) => r.id));
    await store(ids.slice(0, 300).map((id) => ({ id, v: draw() })), '2026-01-01T00:00:00.000Z');
    // Another embedder's vectors, and one of the wrong size, are not ours.
    await store([{ id: ids[300], v: draw() }], '2026-01-01T00:00:00.000Z', 'other:16');
  });
  after(async () => db?.close());

  test('exact search: the nearest vectors by cosine, best first, only this embedder', async () => {
    const index = new VectorIndex('test:16', DIMS);
    await index.sync(db.kysely);
    assert.equal(index.size, 300);
    assert.equal(index.usesGraph, false);
    const q = draw();
    assert.deepEqual((await index.search(q, 5)).map((h) => h.id), bruteForce(q, 5).map((h) => h.id));
    const self = vectors.get(ids[42])!;
    assert.equal((await index.search(self, 1))[0].id, ids[42]);
    assert.ok(Math.abs((await index.search(self, 1))[0].score - 1) < 1e-5);
    assert.equal(index.has(ids[300]), false);
  });

  test('HNSW above the threshold gives the same top-k as exact search', async () => {
    const exact = new VectorIndex('test:16', DIMS);
    const graph = new VectorIndex('test:16', DIMS, { hnswThreshold: 100 });
    await exact.sync(db.kysely);
    await graph.sync(db.kysely);
    await graph.ready();
    assert.equal(graph.usesGraph, true);
    for (let i = 0; i < 25; i++) {
      const q = draw();
      assert.deepEqual((await graph.search(q, 10)).map((h) => h.id), (await exact.search(q, 10)).map((h) => h.id), `query ${i}`);
    }
  });

  test('new and replaced vectors arrive with the next sync; searchAmong and similarity', async () => {
    const index = new VectorIndex('test:16', DIMS, { hnswThreshold: 100, refreshIntervalMs: 60_000 });
    await index.sync(db.kysely);
    await index.ready();
    const version = index.version;
    const target = draw();
    await store([{ id: ids[310], v: target }, { id: ids[5], v: target }], '2026-01-02T00:00:00.000Z');
    await index.sync(db.kysely);
    assert.equal(index.size, 300, 'within the refresh interval nothing is read');
    await index.sync(db.kysely, { force: true });
    assert.equal(index.size, 301);
    assert.ok(index.version > version);
    assert.deepEqual((await index.search(target, 2)).map((h) => h.id).sort((a, b) => a - b), [ids[5], ids[310]]);
    assert.deepEqual((await index.searchAmong(target, [ids[1], ids[310], 999_999], 5)).map((h) => h.id), [ids[310], ids[1]]);
    assert.ok(Math.abs(index.similarity(target, ids[5])! - 1) < 1e-5);
    assert.equal(index.similarity(target, ids[319]), undefined);
  });

  test('a vector stamped before the mark (another instance, a skewed clock) is still picked up', async () => {
    const index = new VectorIndex('test:16', DIMS, { refreshIntervalMs: 0, recountIntervalMs: 3_600_000 });
    const now = Date.now();
    await store([{ id: ids[20], v: draw() }], new Date(now).toISOString());
    await index.sync(db.kysely);
    const replaced = draw();
    // Written after the index looked, but stamped a minute earlier than what it saw last.
    await store([{ id: ids[21], v: replaced }], new Date(now - 60_000).toISOString());
    await index.sync(db.kysely);
    assert.ok(Math.abs(index.similarity(replaced, ids[21])! - 1) < 1e-5, 'the replaced vector is in the index');
    const version = index.version;
    await index.sync(db.kysely);
    assert.equal(index.version, version, 'vectors seen already are not applied again');
  });

  test('a saved matrix and graph are loaded by the next index (a restart); later vectors join exactly', async () => {
    const snapshotFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-vectors-')), 'vectors');
    const first = new VectorIndex('test:16', DIMS, { hnswThreshold: 100, refreshIntervalMs: 0, snapshotFile });
    await first.sync(db.kysely);
    await first.ready();
    assert.ok(first.usesGraph && fs.existsSync(snapshotFile) && fs.existsSync(`${snapshotFile}${GRAPH_SUFFIX}`), 'graph and matrix saved');
    const restarted = new VectorIndex('test:16', DIMS, { hnswThreshold: 100, refreshIntervalMs: 0, snapshotFile });
    await restarted.sync(db.kysely);
    assert.ok(restarted.usesGraph, 'the saved graph is used at once, nothing rebuilt');
    assert.equal(restarted.size, first.size);
    const q = draw();
    assert.deepEqual(await restarted.search(q, 5), await first.search(q, 5));
    const added = draw();
    await store([{ id: ids[315], v: added }], new Date().toISOString());
    await restarted.sync(db.kysely);
    assert.equal((await restarted.search(added, 1))[0].id, ids[315], 'a vector written after the snapshot is found');
    fs.rmSync(path.dirname(snapshotFile), { recursive: true, force: true });
  });

  test('one graph build per store: an index that finds the build lock held takes the builder\'s snapshot over', async () => {
    const snapshotFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-vectors-')), 'vectors');
    const options = { hnswThreshold: 100, refreshIntervalMs: 0, snapshotFile };
    const release = tryFileLock(`${snapshotFile}.lock`)!;
    const waiting = new VectorIndex('test:16', DIMS, options);
    await waiting.sync(db.kysely);
    await waiting.ready();
    assert.equal(waiting.usesGraph, false, 'no build while another process holds the lock');
    release();
    const builder = new VectorIndex('test:16', DIMS, options);
    await builder.sync(db.kysely);
    await builder.ready();
    assert.ok(builder.usesGraph && fs.existsSync(`${snapshotFile}${GRAPH_SUFFIX}`));
    await waiting.sync(db.kysely);
    assert.ok(waiting.usesGraph, 'the saved graph is taken over at the next sync');
    const q = draw();
    assert.deepEqual(await waiting.search(q, 5), await builder.search(q, 5));
    fs.rmSync(path.dirname(snapshotFile), { recursive: true, force: true });
  });

  test('deleted vectors are noticed by the periodic recount and the index reloads', async () => {
    const index = new VectorIndex('test:16', DIMS, { refreshIntervalMs: 0, recountIntervalMs: 0 });
    await index.sync(db.kysely);
    const before = index.size;
    await db.kysely.deleteFrom('paper_vectors').where('paper_id', '=', ids[7]).execute();
    vectors.delete(ids[7]);
    await index.sync(db.kysely);
    assert.equal(index.size, before - 1);
    assert.equal(index.has(ids[7]), false);
  });

  test('a filtered search oversamples, then falls back to comparing every passing paper', async () => {
    const index = new VectorIndex('test:16', DIMS);
    await index.sync(db.kysely);
    const q = draw();
    const allowed = new Set(ids.slice(0, 300).filter((id) => id % 7 === 0));
    const filter = { passing: async (c: number[]) => new Set(c.filter((id) => allowed.has(id))), all: async () => [...allowed] };
    const expected = bruteForce(q, 300).filter((h) => allowed.has(h.id)).slice(0, 5).map((h) => h.id);
    assert.deepEqual((await index.searchFiltered(q, 5, filter)).map((h) => h.id), expected);
    const rare = new Set([ids[3], ids[200]]);
    const few = { passing: async (c: number[]) => new Set(c.filter((id) => rare.has(id))), all: async () => [...rare] };
    assert.deepEqual((await index.searchFiltered(q, 5, few)).map((h) => h.id).sort((a, b) => a - b), [ids[3], ids[200]]);
  });
});
