import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuse, normalizeScores, reciprocalRankFusion, scoreFusion } from './fusion.ts';

test('min-max and z-score normalization', () => {
  assert.deepEqual(normalizeScores([10, 5, 0], 'minmax'), [1, 0.5, 0]);
  assert.deepEqual(normalizeScores([3, 3], 'minmax'), [1, 1]);
  assert.deepEqual(normalizeScores([2, 0], 'zscore'), [1, -1]);
  assert.deepEqual(normalizeScores([], 'zscore'), []);
});

test('reciprocal-rank fusion adds 1/(k + rank) per list', () => {
  const fused = reciprocalRankFusion([{ ids: [1, 2, 3], scores: [9, 8, 7] }, { ids: [3, 1], scores: [0.9, 0.1] }], 60);
  assert.deepEqual(fused.ids, [1, 3, 2]);
  assert.ok(Math.abs(fused.scores[0] - (1 / 61 + 1 / 62)) < 1e-12);
  assert.ok(Math.abs(fused.scores[2] - 1 / 62) < 1e-12);
});

test('score fusion mixes normalized scores with weight alpha on the keyword side', () => {
  const keyword = { ids: [1, 2, 3], scores: [10, 6, 2] }; // -> 1, 0.5, 0
  const vector = { ids: [3, 2, 1], scores: [0.9, 0.5, 0.1] }; // -> 1, 0.5, 0
  const fused = scoreFusion(keyword, vector, 0.8);
  assert.deepEqual(fused.ids, [1, 2, 3]);
  assert.deepEqual(fused.scores.map((s) => +s.toFixed(6)), [0.8, 0.5, 0.2]);
  assert.deepEqual(scoreFusion(keyword, vector, 0.2).ids, [3, 2, 1]);
});

test('score fusion: no vector keeps the keyword score; no keyword match scores as the keyword minimum', () => {
  const keyword = { ids: [1, 2, 3], scores: [10, 6, 2] };
  const vector = { ids: [2, 3, 4], scores: [0.9, 0.5, 0.7] }; // paper 1 has no vector, paper 4 no keyword match
  const fused = scoreFusion(keyword, vector, 0.5);
  const score = Object.fromEntries(fused.ids.map((id, i) => [id, +fused.scores[i].toFixed(6)]));
  assert.deepEqual(score, { 1: 1, 2: 0.75, 3: 0, 4: 0.25 });
});

test('fuse dispatches on the method and an empty side changes nothing', () => {
  const keyword = { ids: [5, 6], scores: [2, 1] };
  assert.deepEqual(fuse(keyword, { ids: [], scores: [] }).ids, [5, 6]);
  assert.deepEqual(fuse(keyword, { ids: [6], scores: [1] }, { kind: 'rrf', k: 60 }).ids, [6, 5]);
});
