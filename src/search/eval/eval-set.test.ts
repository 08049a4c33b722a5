import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchmarkQueries, buildEvalSet, coauthorNeighbours, crudeStem, describeQuery, papersByAuthor, splitFirstSentence, type CorpusPaper } from './eval-set.ts';
import { evaluateRanker, percentile, type LabelledQuery } from './harness.ts';

const filler = `More ${Array.from({ length: 45 }, (_, i) => `word${i}`).join(' ')}`;

describe('evaluation set', () => {
  it('splits off the first sentence, not at abbreviations, also where a line join lost the space', () => {
    assert.deepEqual(splitFirstSentence('Models, e.g. GPT, are big. We study them.'), { first: 'Models, e.g. GPT, are big.', rest: 'We study them.' });
    assert.deepEqual(splitFirstSentence('Progress in video understanding.However, hallucination\npersists.'), {
      first: 'Progress in video understanding.',
      rest: 'However, hallucination persists.',
    });
    assert.deepEqual(splitFirstSentence('Following Smith et al. Our work is 1.5 times faster. Yes.'), { first: 'Following Smith et al. Our work is 1.5 times faster.', rest: 'Yes.' });
    assert.equal(splitFirstSentence('Only one sentence here.'), undefined);
  });

  it('folds plurals and verb endings', () => {
    assert.equal(crudeStem('Models'), crudeStem('model'));
    assert.equal(crudeStem('strategies'), 'strategy');
    assert.equal(crudeStem('learning'), crudeStem('learned'));
  });

  it('a describe query holds out the first sentence and drops the title words from it', () => {
    const paper: CorpusPaper = {
      id: 'p1',
      title: 'Industrial-Grade Sensor Simulation via Gaussian Splatting',
      abstract: `Sensor simulation is pivotal for scalable validation of autonomous driving systems, yet existing radiance field methods face efficiency challenges. ${filler}.`,
      authors: [],
    };
    const d = describeQuery(paper)!;
    assert.equal(d.query, 'is pivotal for scalable validation of autonomous driving systems yet existing radiance field methods face efficiency challenges');
    assert.equal(d.heldOutAbstract, `${filler}.`);
    // Too little left once title words are gone, or too short a remainder: no query.
    assert.equal(describeQuery({ ...paper, abstract: `Sensor simulation via Gaussian splatting. ${filler}.` }), undefined);
    assert.equal(describeQuery({ ...paper, abstract: 'Sensor simulation is pivotal for scalable validation of autonomous driving systems. Short rest.' }), undefined);
  });

  it('grades co-author neighbours by shared authors (2 → 1, 3 → 2, 4+ → 3), matching names loosely', () => {
    const papers: CorpusPaper[] = [
      { id: 'q', title: 't', abstract: '', authors: ['Ann Lee', 'Bo Chen', 'Cy Diaz', 'Dee Evans'] },
      { id: 'one', title: 't', abstract: '', authors: ['Ann Lee', 'Zed Zu'] },
      { id: 'two', title: 't', abstract: '', authors: ['ann lee', 'Bo  Chen'] },
      { id: 'three', title: 't', abstract: '', authors: ['Ann Lee', 'Bo Chen', 'Cy Díaz'] },
      { id: 'four', title: 't', abstract: '', authors: ['Dee Evans', 'Cy Diaz', 'Bo Chen', 'Ann Lee', 'X Y'] },
    ];
    assert.deepEqual(Object.fromEntries(coauthorNeighbours(papers, papersByAuthor(papers), 0)), { two: 1, three: 2, four: 3 });
  });

  it('draws the same queries for the same seed, each paper at most once, balanced across types', () => {
    const papers: CorpusPaper[] = Array.from({ length: 60 }, (_, i) => ({
      id: `p${i}`,
      title: `Topic ${i} learning for robust widgets`,
      abstract: `Widgets number ${i} matter greatly for sprockets, gears, levers and pulleys in factories everywhere today. ${filler}.`,
      authors: [`Author ${i % 5}`, `Author ${(i + 1) % 5}`, `Other ${i}`],
    }));
    const a = buildEvalSet(papers, { seed: 7, perType: 5 });
    const b = buildEvalSet(papers, { seed: 7, perType: 5 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(buildEvalSet(papers, { seed: 8, perType: 5 }).queries, a.queries);
    assert.deepEqual(['title', 'describe', 'coauthor'].map((t) => a.queries.filter((q) => q.type === t).length), [5, 5, 5]);
    const sources = a.queries.map((q) => q.id.split('-')[1]);
    assert.equal(new Set(sources).size, sources.length);
    for (const q of a.queries.filter((q) => q.type === 'describe')) assert.equal(a.heldOutAbstracts.get(q.id.split('-')[1]), `${filler}.`);
    for (const q of a.queries.filter((q) => q.type === 'coauthor')) assert.deepEqual(q.exclude, [q.id.split('-')[1]]);
  });

  it('benchmark queries: 2–3 title words and 12–20 abstract words, seeded', () => {
    const papers: CorpusPaper[] = Array.from({ length: 40 }, (_, i) => ({
      id: `p${i}`,
      title: `Scalable contrastive pretraining of vision transformers number ${i}`,
      abstract: `First sentence here. The second sentence of this abstract is long enough to give a natural language query of twenty words or more for sure. Third.`,
      authors: [],
    }));
    const q = benchmarkQueries(papers, 3, 10);
    assert.deepEqual(q, benchmarkQueries(papers, 3, 10));
    assert.equal(q.keyword.length, 10);
    assert.equal(q.natural.length, 10);
    for (const k of q.keyword) assert.ok([2, 3].includes(k.split(' ').length), k);
    for (const n of q.natural) assert.ok(n.split(' ').length >= 12 && n.split(' ').length <= 20, n);
  });
});

describe('harness', () => {
  it('maps ids, drops excluded papers before scoring, and averages per group and overall', async () => {
    const queries: LabelledQuery[] = [
      { id: 'a', group: 'g1', text: 'alpha', relevant: new Map([['X', 1]]) },
      { id: 'b', group: 'g1', text: 'beta', relevant: new Map([['Y', 1]]), exclude: ['X'] },
      { id: 'c', group: 'g2', text: 'gamma', relevant: new Map([['Z', 1]]) },
      { id: 'd', group: 'g2', text: 'unjudged', relevant: new Map([['Z', 0]]) },
    ];
    const names = new Map([[1, 'X'], [2, 'Y'], [3, 'Z']]);
    // Always X, Y, Z, and an id the store does not know.
    const r = await evaluateRanker('fake', async () => ({ ids: [1, 2, 99, 3], scores: [4, 3, 2, 1] }), queries, (id) => names.get(id));
    assert.equal(r.latenciesMs.length, 3);
    const g1 = r.groups.find((g) => g.group === 'g1')!;
    // a: X at rank 1; b: X excluded, so Y moves to rank 1.
    assert.deepEqual({ ...g1 }, { group: 'g1', queries: 2, ndcg10: 1, mrr: 1, recall100: 1 });
    const g2 = r.groups.find((g) => g.group === 'g2')!;
    assert.equal(g2.queries, 1);
    assert.equal(g2.mrr, 1 / 3);
    assert.equal(r.all.queries, 3);
    assert.equal(r.all.mrr, (1 + 1 + 1 / 3) / 3);
  });

  it('percentiles by nearest rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(v, 50), 50);
    assert.equal(percentile(v, 99), 99);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });
});
