import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays } from '../../listings/period.ts';
import { seededRandom } from '../../search/eval/random.ts';
import { evaluationRankers } from './eval.service.ts';
import type { EvalPaper } from './corpus.ts';
import { evaluationJson } from './report.ts';
import { evaluateCutoff } from './run.ts';

/**
 * A small synthetic corpus: 24 topics, each with its own words, vector direction and category, and two
 * authors per topic who write about it before and after the cutoff; plus filler papers.
 */
function sampleCorpus(): EvalPaper[] {
  const random = seededRandom(3);
  const papers: EvalPaper[] = [];
  const dims = 16;
  const topics = 24;
  for (let t = 0; t < topics; t++) {
    const words = Array.from({ length: 6 }, (_, k) => `topic${t}word${k}`);
    for (let i = 0; i < 14; i++) {
      const day = addDays('2026-03-01', i < 10 ? i * 3 : 31 + (i % 4));
      const vector = new Float32Array(dims);
      vector[t % dims] = 1;
      vector[(t * 7 + 3) % dims] += 0.3 + random() * 0.2;
      const norm = Math.hypot(...vector);
      papers.push({
        id: `2603.${t}${i}`,
        title: `${words[i % 6]} ${words[(i + 1) % 6]} common study`,
        abstract: `${words.join(' ')} ${words[(i + 2) % 6]} shared method evaluation results`,
        authors: [`Alice Topic${t}`, `Bruno Topic${t}`, `Helper ${t * 100 + i}`],
        categories: [`cs.T${t % 6}`],
        day,
        vector: vector.map((x) => x / norm),
      });
    }
  }
  return papers;
}

test('eval --recommend on a small sample: the protocol, the four rankers by name, CIs, library sizes', () => {
  const e = evaluateCutoff(sampleCorpus(), evaluationRankers(), { cutoff: '2026-04-01', windowDays: 7, users: 20, seed: 1 });
  assert.equal(e.readers, 20);
  assert.equal(e.candidates, 24 * 4);
  const json = evaluationJson(e);
  assert.deepEqual(
    json.rankers.map((r) => r.ranker),
    ['paperboy', 'arxiv-sanity-svm', 'zotero-similarity', 'newest'],
  );
  for (const r of json.rankers) {
    for (const m of ['ndcg10', 'recall50', 'mrr'] as const) {
      assert.ok(r[m] >= 0 && r[m] <= 1, `${r.ranker} ${m}`);
      assert.ok(r.ci95[m][0] <= r[m] && r[m] <= r.ci95[m][1], `${r.ranker} ${m} inside its interval`);
    }
    assert.ok(r.msPerReader >= 0);
  }
  assert.deepEqual(
    json.bySize.map((g) => g.size),
    ['1', '3', '10', '30+'],
  );
  const by = Object.fromEntries(json.rankers.map((r) => [r.ranker, r.ndcg10]));
  // Topics are separable by text and vectors: every content ranker finds the reader's papers, newest does not.
  assert.ok(by.paperboy > 0.8 && by['arxiv-sanity-svm'] > 0.8 && by['zotero-similarity'] > 0.8, JSON.stringify(by));
  assert.ok(by.newest < 0.3);
  assert.ok(json.comparison && json.comparison.against !== 'paperboy');
  assert.ok(!JSON.stringify(json).includes('perReader'), 'per-reader scores are left out of the JSON');
});
