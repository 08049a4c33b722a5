import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meanMetrics, ndcgAtK, pairedBootstrap, reciprocalRank, recallAtK, scoreRanking } from './metrics.ts';
import { seededRandom } from './random.ts';

const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

describe('ranking metrics', () => {
  // Ranked a, b, c, d; b is highly relevant (2), d and the never-retrieved e are relevant (1).
  const ranked = ['a', 'b', 'c', 'd'];
  const graded = new Map([['b', 2], ['d', 1], ['e', 1]]);

  it('nDCG@10 uses linear gains and log2(rank + 1) discounts, over the ideal order of all judged documents', () => {
    // DCG = 2/log2(3) + 1/log2(5); ideal = 2/log2(2) + 1/log2(3) + 1/log2(4).
    near(ndcgAtK(ranked, graded, 10), (2 / Math.log2(3) + 1 / Math.log2(5)) / (2 + 1 / Math.log2(3) + 1 / 2));
    near(ndcgAtK(ranked, graded, 10), 0.5405857679450102);
    // At k = 2 only b counts, and the ideal holds only the two best grades.
    near(ndcgAtK(ranked, graded, 2), 2 / Math.log2(3) / (2 + 1 / Math.log2(3)));
    near(ndcgAtK(ranked, graded, 2), 0.4796249331362629);
  });

  it('nDCG of binary judgements: hits at ranks 1 and 3 of 2 relevant', () => {
    // DCG = 1 + 1/2; ideal = 1 + 1/log2(3).
    near(ndcgAtK(['a', 'b', 'c'], new Map([['a', 1], ['c', 1]])), 1.5 / (1 + 1 / Math.log2(3)));
    near(ndcgAtK(['a', 'b', 'c'], new Map([['a', 1], ['c', 1]])), 0.9197207891481876);
  });

  it('MRR is 1/rank of the first relevant result within the cut-off', () => {
    assert.equal(reciprocalRank(ranked, graded), 1 / 2);
    assert.equal(reciprocalRank(['x', 'y', 'z', 'd'], graded), 1 / 4);
    assert.equal(reciprocalRank(['x', 'y', 'z', 'd'], graded, 3), 0);
  });

  it('Recall@k counts relevant documents found in the first k over all relevant ones', () => {
    assert.equal(recallAtK(ranked, graded, 100), 2 / 3);
    assert.equal(recallAtK(ranked, graded, 2), 1 / 3);
    assert.equal(recallAtK(ranked, graded, 1), 0);
    // A document repeated in the ranking is found once.
    assert.equal(recallAtK(['b', 'b'], graded, 100), 1 / 3);
  });

  it('a grade of 0 is judged not relevant', () => {
    const judged = new Map([['a', 0], ['b', 1]]);
    near(ndcgAtK(['a', 'b'], judged), 1 / Math.log2(3));
    assert.equal(reciprocalRank(['a', 'b'], judged), 1 / 2);
    assert.equal(recallAtK(['a'], judged), 0);
  });

  it('perfect, empty and hopeless rankings', () => {
    assert.deepEqual(scoreRanking(['x'], new Map([['x', 1]])), { ndcg10: 1, mrr: 1, recall100: 1 });
    assert.deepEqual(scoreRanking([], new Map([['x', 1]])), { ndcg10: 0, mrr: 0, recall100: 0 });
    assert.deepEqual(scoreRanking(['y'], new Map([['x', 0]])), { ndcg10: 0, mrr: 0, recall100: 0 });
  });

  it('averages each metric over queries', () => {
    const mean = meanMetrics([{ ndcg10: 1, mrr: 1, recall100: 1 }, { ndcg10: 0.5, mrr: 0.25, recall100: 0 }]);
    assert.deepEqual(mean, { ndcg10: 0.75, mrr: 0.625, recall100: 0.5 });
    assert.deepEqual(meanMetrics([]), { ndcg10: 0, mrr: 0, recall100: 0 });
  });
});

describe('paired bootstrap', () => {
  it('a constant difference has a zero-width interval at that difference', () => {
    const d = pairedBootstrap([0, 0.25, 0.5], [0.5, 0.75, 1], seededRandom(1));
    assert.deepEqual(d, { mean: 0.5, low: 0.5, high: 0.5 });
  });

  it('equal systems differ by 0; a mixed difference gets an interval around its mean', () => {
    assert.deepEqual(pairedBootstrap([1, 0, 1], [1, 0, 1], seededRandom(1)), { mean: 0, low: 0, high: 0 });
    const a = Array.from({ length: 200 }, (_, i) => (i % 2 ? 1 : 0));
    const b = a.map((x, i) => (i % 10 === 0 || i % 10 === 5 ? 1 - x : x)); // 40 queries flip, 20 each way
    const d = pairedBootstrap(a, b, seededRandom(7));
    assert.equal(d.mean, 0);
    assert.ok(d.low < 0 && d.high > 0 && d.high - d.low < 0.2, JSON.stringify(d));
    assert.deepEqual(pairedBootstrap([], [], seededRandom(1)), { mean: 0, low: 0, high: 0 });
    assert.throws(() => pairedBootstrap([1], [], seededRandom(1)), /1 scores against 0/);
  });
});
