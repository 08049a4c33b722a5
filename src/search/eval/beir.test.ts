import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { BeirFormatError, beirQueries, beirRecords, indexOfSyntheticArxivId, loadBeir, parseQrels, syntheticArxivId, UNTITLED } from './beir.ts';
import { evaluateBeir } from './eval.service.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../../test/fixtures/beir-mini');

function tempBenchmark(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beir-test-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('BEIR loader', () => {
  it('reads the beir-mini fixture: documents, queries and graded qrels, header skipped', async () => {
    const bench = await loadBeir(FIXTURE);
    assert.equal(bench.name, 'beir-mini');
    assert.equal(bench.docs.length, 30);
    assert.equal(bench.docs[0].id, '2504.05598');
    assert.equal(bench.docs[0].title, 'DEL: Context-Aware Dynamic Exit Layer for Efficient Self-Speculative Decoding');
    assert.ok(bench.docs[0].text.startsWith('Speculative Decoding (SD) is a widely used approach'));
    assert.equal(bench.queries.size, 12);
    assert.equal(bench.qrels.size, 11);
    assert.deepEqual([...bench.qrels.get('q2')!], [['2503.20436', 2], ['2503.12485', 1], ['2503.15914', 0]]);
    assert.equal(bench.qrels.get('q11')!.size, 6);
  });

  it('evaluates only judged queries with a relevant document (q12 has no judgements)', async () => {
    const queries = beirQueries(await loadBeir(FIXTURE));
    assert.equal(queries.length, 11);
    assert.ok(!queries.some((q) => q.id === 'q12'));
    assert.equal(queries[0].text, 'make LLM inference faster by drafting tokens with a cheap model and verifying them in parallel');
  });

  it('parses qrels with or without a header and names the line of a bad one', () => {
    assert.deepEqual([...parseQrels('q1\td1\t1\nq1\td2\t2\n').get('q1')!], [['d1', 1], ['d2', 2]]);
    assert.deepEqual([...parseQrels('query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\n').get('q1')!], [['d1', 1]]);
    assert.throws(() => parseQrels('query-id\tcorpus-id\tscore\nq1 d1 1\n'), /line 2: expected query-id, corpus-id and score/);
    assert.throws(() => parseQrels('query-id\tcorpus-id\tscore\nq1\td1\tyes\n'), /line 2: score "yes" is not a number/);
  });

  it('reports missing files, bad JSON, duplicate ids and unknown judged queries with file and line', async () => {
    await assert.rejects(loadBeir('/nonexistent/beir'), /is not a directory/);
    const ok = { 'queries.jsonl': '{"_id":"q1","text":"x"}\n', 'qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\t1\n' };
    await assert.rejects(loadBeir(tempBenchmark({ ...ok, 'corpus.jsonl': '{"_id":"d1","title":"a"}\n{oops\n' })), (e: Error) => e instanceof BeirFormatError && /corpus.jsonl line 2: invalid JSON/.test(e.message));
    await assert.rejects(loadBeir(tempBenchmark({ ...ok, 'corpus.jsonl': '{"_id":"d1"}\n{"_id":"d1"}\n' })), /corpus.jsonl line 2: _id "d1" appears twice/);
    await assert.rejects(loadBeir(tempBenchmark({ ...ok, 'corpus.jsonl': '{"title":"no id"}\n' })), /corpus.jsonl line 1: missing _id/);
    await assert.rejects(loadBeir(tempBenchmark({ ...ok, 'corpus.jsonl': '{"_id":"d1"}\n', 'qrels/test.tsv': 'q9\td1\t1\n' })), /judges query "q9"/);
    await assert.rejects(loadBeir(tempBenchmark({ 'corpus.jsonl': '{"_id":"d1"}\n', 'queries.jsonl': '' }), 'test'), /qrels\/test.tsv is missing/);
  });

  it('gives every document its own stand-in arXiv id, and untitled ones a neutral title', async () => {
    for (const i of [0, 1, 99_999, 100_000, 1_234_567]) assert.equal(indexOfSyntheticArxivId(syntheticArxivId(i)), i);
    assert.equal(syntheticArxivId(123_456), '0001.23456');
    const records = beirRecords({ name: 'x', split: 'test', docs: [{ id: 'a', title: '', text: 'body' }, { id: 'b', title: 'T', text: '' }], queries: new Map(), qrels: new Map() });
    assert.deepEqual(records, [
      { source: 'jsonl', arxivId: '0000.00000', title: UNTITLED, abstract: 'body' },
      { source: 'jsonl', arxivId: '0000.00001', title: 'T', abstract: undefined },
    ]);
  });
});

describe('paperboy eval --beir', () => {
  it('imports the benchmark into a temporary store and scores each mode on every judged query', async () => {
    const e = await evaluateBeir(FIXTURE);
    assert.equal(e.documents, 30);
    assert.equal(e.queries, 11);
    assert.ok(e.results.some((r) => r.mode === 'keyword'));
    for (const r of e.results) {
      assert.equal(r.all.queries, 11, r.mode);
      for (const v of [r.all.ndcg10, r.all.mrr, r.all.recall100]) assert.ok(v >= 0 && v <= 1, `${r.mode}: ${v}`);
    }
    // The topics are far apart: plain keyword search finds something relevant first for most queries.
    assert.ok(e.results.find((r) => r.mode === 'keyword')!.all.mrr > 0.8);
  });
});

describe('the eval command', () => {
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [path.resolve(import.meta.dirname, '../../../bin/paperboy.js'), 'eval', ...args]).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('prints every mode\'s metrics as JSON', async () => {
    const { code, stdout } = await cli(['--beir', FIXTURE, '--json']);
    assert.equal(code, 0);
    const out = JSON.parse(stdout);
    assert.equal(out.benchmark, 'beir-mini');
    assert.equal(out.queries, 11);
    assert.equal(out.modes[0].mode, 'keyword');
    assert.deepEqual(Object.keys(out.modes[0].all), ['queries', 'ndcg10', 'mrr', 'recall100']);
  });

  it('exits with 2 and names the problem when the folder is not a benchmark', async () => {
    const { code, stderr } = await cli(['--beir', path.join(FIXTURE, 'qrels')]);
    assert.equal(code, 2);
    assert.match(stderr, /corpus.jsonl is missing|qrels\/test.tsv is missing/);
  });
});
