/** The vector matrix in shared memory: a graph build reads it without a copy, a snapshot round-trips into it with room to grow. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { VectorMatrix } from './vector-matrix.ts';
import { readVectorSnapshot, writeVectorSnapshot } from './vector-snapshot.ts';

const D = 4;
const bytes = (...v: number[]) => new Uint8Array(new Float32Array(v).buffer);

test('the rows a graph build gets are the shared rows themselves, not a copy', () => {
  const m = new VectorMatrix(D);
  m.put(11, bytes(1, 0, 0, 0));
  m.put(12, bytes(0, 3, 0, 4));
  const { ids, matrix } = m.snapshot();
  assert.ok(matrix.buffer instanceof SharedArrayBuffer && ids.buffer instanceof SharedArrayBuffer);
  assert.deepEqual([...ids], [11, 12]);
  assert.deepEqual([...matrix], [1, 0, 0, 0, 0, 0.6000000238418579, 0, 0.800000011920929]);
  m.put(12, bytes(0, 0, 1, 0));
  assert.deepEqual([...matrix.subarray(4)], [0, 0, 1, 0], 'a replaced vector is seen through the view');
});

test('a snapshot written part by part reads back into shared memory with spare rows, used before growing', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-vecsnap-')), 'vectors');
  const ids = Int32Array.from([5, 7, 9]);
  const vectors = Float32Array.from({ length: 3 * D }, (_, i) => i / 10);
  const header = { embedder: 'test', dimensions: D, rows: 3, mark: { at: '2026-01-01', paperId: 9 }, savedAt: '2026-01-01T00:00:00Z' };
  writeVectorSnapshot(file, header, ids, vectors);
  const saved = (await readVectorSnapshot(file, () => 2))!;
  assert.deepEqual(saved.header, header);
  assert.equal(saved.capacity, 5);
  assert.deepEqual([...saved.ids.subarray(0, 3)], [5, 7, 9]);
  assert.deepEqual([...saved.vectors.subarray(0, 3 * D)], [...vectors]);
  const m = VectorMatrix.from(D, saved.ids, saved.vectors, 3);
  assert.equal(m.size, 3);
  assert.equal(m.put(10, bytes(0, 0, 0, 2))!.row, 3);
  assert.equal(m.snapshot().matrix.buffer, saved.vectors.buffer, 'the new row went into the spare room, no grow');
  assert.equal(await readVectorSnapshot(`${file}.missing`), undefined);
  fs.writeFileSync(`${file}.short`, fs.readFileSync(file).subarray(0, 60));
  assert.equal(await readVectorSnapshot(`${file}.short`), undefined, 'a truncated file is no snapshot');
});

test('an exact search over many rows gives other work turns while it scans, and still finds the best', async () => {
  const m = new VectorMatrix(D);
  const n = 100_000;
  for (let i = 0; i < n; i++) m.put(i + 1, bytes(Math.cos(i), Math.sin(i), (i % 7) / 7, 1));
  const q = new Float32Array([Math.cos(4242), Math.sin(4242), (4242 % 7) / 7, 1]);
  const norm = Math.hypot(...q);
  const unit = q.map((x) => x / norm);
  let others = 0;
  const tick = setInterval(() => others++, 0);
  const hits = await m.nearest(unit, 3);
  clearInterval(tick);
  assert.equal(hits[0].id, 4243);
  assert.ok(others > 0, 'timers ran between the slices');
  const among = await m.nearestAmong(unit, Array.from({ length: n }, (_, i) => n - i), 1);
  assert.equal(among[0].id, 4243);
});
