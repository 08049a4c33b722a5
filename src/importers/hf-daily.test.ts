import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import type { PaperRecord } from '../papers/paper.ts';
import { parseHfDaily } from './hf-daily.ts';
import { FormatError, type ParseEvent } from './types.ts';

const FILE = '2024-10-25_daily_papers_3items.json';
const fixture = fs.readFileSync(new URL(`../../test/fixtures/hf_daily_papers/${FILE}`, import.meta.url), 'utf8');

function records(events: ParseEvent[]): PaperRecord[] {
  return events.flatMap((e) => (e.kind === 'record' ? [e.record] : []));
}

test('the real 2024 response: ids, unwrapped titles, authors in order, dates and upvotes', () => {
  const events = parseHfDaily(fixture, FILE);
  assert.deepEqual(events.map((e) => [e.kind, e.location]), [
    ['record', `${FILE}:#0`], ['record', `${FILE}:#1`], ['record', `${FILE}:#2`],
  ]);
  const [first, second, third] = records(events);
  assert.equal(first.source, 'hf-daily');
  assert.equal(first.arxivId, '2410.17243');
  assert.equal(first.title, 'Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss');
  assert.match(first.abstract!, /^Contrastive loss is a powerful approach for representation learning, where larger batch sizes/);
  assert.ok(!first.abstract!.includes('\n'));
  assert.equal(first.authors!.length, 9);
  assert.deepEqual(first.authors!.slice(0, 3), ['Zesen Cheng', 'Hang Zhang', 'Kehan Li']);
  assert.equal(first.authors!.at(-1), 'Lidong Bing');
  assert.equal(first.publishedAt, '2024-10-22T17:59:30.000Z');
  assert.equal(first.announcedOn, '2024-10-25');
  assert.equal(first.upvotes, 64);
  assert.equal(first.links, undefined);
  assert.equal(first.organization, undefined);
  assert.deepEqual([second.arxivId, second.title, second.upvotes], ['2410.16251', 'Can Knowledge Editing Really Correct Hallucinations?', 41]);
  assert.deepEqual([third.arxivId, third.upvotes, third.authors!.length], ['2410.18745', 14, 8]);
});

test('a 2025-style item: code and project links, organization, and the day it was listed', () => {
  // Shape from the 2025+ fields in shared/data/api_fixtures/README.md section 3; values made up.
  const item = {
    paper: {
      id: '2502.01234',
      authors: [{ _id: 'a1', name: 'Ada Lovelace', hidden: false }, { _id: 'a2', name: 'Alan Turing', hidden: true }],
      publishedAt: '2025-02-03T17:00:00.000Z',
      submittedOnDailyAt: '2025-02-04T06:12:00.000Z',
      title: 'A Wrapped\n  Title',
      summary: 'First line\nsecond line.',
      upvotes: 12,
      discussionId: 'd1',
      ai_summary: 'An LLM-written summary that is not the abstract.',
      ai_keywords: ['x'],
      githubRepo: 'https://github.com/example/repo',
      githubStars: 42,
      projectPage: 'https://example.github.io/project',
      organization: { _id: 'o1', name: 'huawei-noah', fullname: "HUAWEI Noah's Ark Lab", avatar: '/a.png' },
    },
    publishedAt: '2025-02-04T06:12:00.000Z',
    title: 'A Wrapped Title',
    isAuthorParticipating: false,
  };
  const [rec] = records(parseHfDaily(JSON.stringify([item]), 'new.json'));
  assert.deepEqual(rec, {
    source: 'hf-daily',
    arxivId: '2502.01234',
    title: 'A Wrapped Title',
    abstract: 'First line second line.',
    authors: ['Ada Lovelace', 'Alan Turing'],
    publishedAt: '2025-02-03T17:00:00.000Z',
    announcedOn: '2025-02-04',
    upvotes: 12,
    links: { code: 'https://github.com/example/repo', project: 'https://example.github.io/project' },
    organization: { slug: 'huawei-noah', name: "HUAWEI Noah's Ark Lab" },
  });
  // Some responses put the organization on the item rather than the paper.
  const topOrg = { ...item, paper: { ...item.paper, organization: undefined }, organization: { name: 'google', fullname: 'Google' } };
  assert.deepEqual(records(parseHfDaily(JSON.stringify([topOrg]), 'new.json'))[0].organization, { slug: 'google', name: 'Google' });
});

test('an item without id or title is skipped by index; the others are kept', () => {
  const good = JSON.parse(fixture)[1];
  const noId = { ...good, paper: { ...good.paper, id: undefined } };
  const noTitle = { ...good, title: '', paper: { ...good.paper, title: '  ' } };
  const events = parseHfDaily(JSON.stringify([noId, good, noTitle, 'text', { title: 'no paper' }]), 'd.json');
  assert.deepEqual(events.map((e) => [e.kind, e.location]), [
    ['skip', 'd.json:#0'], ['record', 'd.json:#1'], ['skip', 'd.json:#2'], ['skip', 'd.json:#3'], ['skip', 'd.json:#4'],
  ]);
  const reasons = events.flatMap((e) => (e.kind === 'skip' ? [e.reason] : []));
  assert.deepEqual(reasons, ['paper has no "id"', 'paper 2410.16251 has no title', 'item is not a JSON object', 'item has no "paper" object']);
});

test('not JSON, not an array, or truncated: a FormatError naming the file', () => {
  const cases: [string, RegExp][] = [
    ['<html>rate limited</html>', /^d\.json: not valid JSON, or truncated/],
    [fixture.slice(0, 5000), /^d\.json: not valid JSON, or truncated/],
    ['{"error":"Invalid"}', /^d\.json: expected a JSON array of daily-paper items, found object/],
    ['null', /found null/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseHfDaily(text, 'd.json'), (err: unknown) => err instanceof FormatError && message.test(err.message));
  }
});
