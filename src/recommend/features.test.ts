import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../search/eval/random.ts';
import { nearestByVector } from './features.ts';

test('each candidate’s nearest seed by vector: usearch and the loop agree with a plain scan', () => {
  const random = seededRandom(3);
  const d = 64;
  const unit = () => {
    const v = Float32Array.from({ length: d }, () => random() - 0.5);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const n = 200;
  const vectors = new Float32Array(n * d);
  const hasVector = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (i % 7 !== 0) vectors.set(unit(), i * d), (hasVector[i] = 1);
  // Eleven seeds (not a multiple of the loop's block of four), one without a vector and one of another size.
  const seeds: { vector?: Float32Array }[] = [...Array.from({ length: 11 }, () => ({ vector: unit() })), {}, { vector: new Float32Array(8) }];
  const pool = { dimensions: d, vectors, hasVector };
  for (const native of [undefined, null] as const) {
    const near = new Float32Array(n);
    const which = new Int32Array(n).fill(-1);
    nearestByVector(pool, seeds, near, which, native);
    for (let i = 0; i < n; i++) {
      if (!hasVector[i]) {
        assert.equal(which[i], -1, 'a candidate without a vector has no nearest seed');
        continue;
      }
      const dots = seeds.map((s) => (s.vector?.length === d ? s.vector.reduce((acc, x, k) => acc + x * vectors[i * d + k], 0) : -Infinity));
      const best = dots.indexOf(Math.max(...dots));
      assert.equal(which[i], best, `${native === null ? 'loop' : 'usearch'}: candidate ${i}`);
      assert.ok(Math.abs(near[i] - dots[best]) < 1e-5);
    }
  }
});
