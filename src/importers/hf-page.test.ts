import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { PaperRecord } from '../papers/paper.ts';
import { parseHfPage } from './hf-page.ts';
import { FormatError, type ParseEvent } from './types.ts';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/hf_pages/', import.meta.url));
/** The five full saved pages live outside the repository; their tests run where they are present. */
const SEEDS = process.env.PAPERBOY_SEEDS_DIR ?? '/work/shared/seeds';
const noSeeds = !fs.existsSync(SEEDS) && `seed pages not found at ${SEEDS}`;

function fixture(name: string, opts?: { year?: number }): ParseEvent[] {
  return parseHfPage(fs.readFileSync(FIXTURES + name, 'utf8'), name, opts);
}

function seed(prefix: string): ParseEvent[] {
  const name = fs.readdirSync(SEEDS).find((f) => f.startsWith(prefix))!;
  return parseHfPage(fs.readFileSync(`${SEEDS}/${name}`, 'utf8'), name, { year: 2026 });
}

function records(events: ParseEvent[]): (PaperRecord & { location: string })[] {
  return events.flatMap((e) => (e.kind === 'record' ? [{ ...e.record, location: e.location }] : []));
}

function skips(events: ParseEvent[]) {
  return events.filter((e) => e.kind === 'skip');
}

/** A daily-layout page around the given card lines, as the browser saves it (blank line between lines). */
function dailyPage(...cardLines: string[]): string {
  const header = ['new', 'Get trending papers in your email inbox!', 'Subscribe', 'Daily Papers', 'byAK and the research community', 'Feb 18'];
  return [...header, ...cardLines].join('\n\n').replace(/\n\n·\n\n/g, '\n·\n');
}

test('search layout: the title glued to "Subscribe" and alternating title/abstract lines', () => {
  const events = fixture('000_search_sample.txt');
  const recs = records(events);
  assert.equal(recs.length, 10);
  assert.equal(skips(events).length, 0);
  assert.equal(recs[0].title, 'MaxSup: Overcoming Representation Collapse in Label Smoothing');
  assert.equal(recs[0].location, '000_search_sample.txt:3');
  assert.match(recs[0].abstract!, /^Label Smoothing \(LS\) is widely adopted/);
  assert.equal(recs[9].title, 'RiskPO: Risk-based Policy Optimization via Verifiable Reward for LLM Post-Training');
  assert.deepEqual(Object.keys(recs[1]).sort(), ['abstract', 'location', 'source', 'title']);
  assert.ok(recs.every((r) => r.source === 'hf-page'));
});

test('daily layout: author counts, dates, and a card with no metadata line', () => {
  const recs = records(fixture('003_daily_sample.txt'));
  assert.equal(recs.length, 11);
  assert.deepEqual(
    { title: recs[0].title, authorCount: recs[0].authorCount, announcedOn: recs[0].announcedOn, location: recs[0].location },
    { title: 'Out-Of-Domain Unlabeled Data Improves Generalization', authorCount: 6, announcedOn: '2023-09-28', location: '003_daily_sample.txt:13' },
  );
  assert.match(recs[0].abstract!, /^We propose a novel framework for incorporating unlabeled data/);
  // RAMP's card shows no author count and no date; it must not steal Neur2RO's.
  assert.equal(recs[9].title, 'RAMP: Boosting Adversarial Robustness Against Multiple l_p Perturbations for Universal Robustness');
  assert.equal(recs[9].authorCount, undefined);
  assert.equal(recs[9].announcedOn, undefined);
  assert.match(recs[9].abstract!, /\S/);
  assert.equal(recs[10].title, 'Neur2RO: Neural Two-Stage Robust Optimization');
  assert.equal(recs[10].announcedOn, '2023-10-06');
  assert.equal(recs[10].authorCount, 4);
});

test('daily layout: organization line, upvotes after the date, and a date without a year', () => {
  const text = dailyPage(
    'ROOT: Robust Orthogonalized Optimizer for Neural Network Training', 'The optimization of large language models (LLMs) remains a critical challenge.',
    "huawei-noah HUAWEI Noah's Ark Lab", '·', 'Nov 25, 2025 5',
    'DSP-Reg: Domain-Sensitive Parameter Regularization for Robust Domain Generalization', 'Domain Generalization (DG) is a critical area.',
    '  • 7 authors', '·', 'Jan 27',
  );
  const recs = records(parseHfPage(text, 'p.txt', { year: 2026 }));
  assert.deepEqual(recs[0].organization, { slug: 'huawei-noah', name: "HUAWEI Noah's Ark Lab" });
  assert.equal(recs[0].authorCount, undefined);
  assert.equal(recs[0].announcedOn, '2025-11-25');
  assert.equal(recs[0].upvotes, 5);
  assert.equal(recs[1].announcedOn, '2026-01-27');
  assert.equal(recs[1].upvotes, undefined);
  const thisYear = records(parseHfPage(text, 'p.txt'))[1].announcedOn;
  assert.equal(thisYear, `${new Date().getFullYear()}-01-27`);
});

test('a card that cannot be read is skipped with its line and reason; the rest still parse', () => {
  const text = dailyPage(
    'Bad Date Paper', 'Abstract one.', '  • 2 authors', '·', 'Smarch 3, 2024',
    'Feb 30 Paper', 'Abstract two.', '  • 2 authors', '·', 'Feb 30, 2024',
    'Good Paper', 'Abstract three.', '  • 1 authors', '·', 'Mar 1, 2024',
    'Three', 'lines', 'before a separator', '  • 1 authors', '·', 'Mar 2, 2024',
    'Dangling title at the end',
  );
  const events = parseHfPage(text, 'p.txt');
  assert.deepEqual(records(events).map((r) => [r.title, r.authorCount, r.announcedOn]), [['Good Paper', 1, '2024-03-01']]);
  const skipped = skips(events);
  assert.deepEqual(skipped.map((s) => s.location), ['p.txt:13', 'p.txt:21', 'p.txt:37', 'p.txt:47']);
  assert.match(skipped[0].reason, /unrecognized card date "Smarch 3, 2024"/);
  assert.match(skipped[1].reason, /not a real day/);
  assert.match(skipped[2].reason, /cannot tell titles from abstracts/);
  assert.match(skipped[3].reason, /Dangling title/);
});

test('search layout: an abstract without its title is skipped and the pairs resynchronize', () => {
  const orphan = 'x'.repeat(600);
  const text = ['Get trending papers in your email inbox once a day!', 'SubscribeFirst Title', 'First abstract.', orphan, 'Second Title', 'Second abstract.'].join('\n');
  const events = parseHfPage(text, 's.txt');
  assert.deepEqual(records(events).map((r) => r.title), ['First Title', 'Second Title']);
  assert.deepEqual(skips(events).map((s) => s.location), ['s.txt:4']);
});

test('text that is not a Hugging Face Papers page is a FormatError naming the file', () => {
  for (const text of ['', 'Hello world\nthis is a note', '# README\n\nSubscribe']) {
    assert.throws(() => parseHfPage(text, 'notes.txt'), (err: unknown) => err instanceof FormatError && /^notes\.txt: not a saved Hugging Face Papers page/.test(err.message));
  }
  assert.throws(() => parseHfPage('Get trending papers in your email inbox!\nNo subscribe line', 'x.txt'), FormatError);
});

test('the five seed pages: counts per file and real values', { skip: noSeeds }, () => {
  const counts = ['000', '001', '002', '003', '004'].map((p) => {
    const events = seed(p);
    assert.equal(skips(events).length, 0, `${p}: ${JSON.stringify(skips(events))}`);
    return records(events).length;
  });
  assert.deepEqual(counts, [220, 218, 239, 33, 31]);

  const daily = records(seed('003'));
  const root = daily.find((r) => r.title.startsWith('ROOT: Robust Orthogonalized Optimizer'))!;
  assert.deepEqual(
    { organization: root.organization, announcedOn: root.announcedOn, upvotes: root.upvotes, location: root.location },
    { organization: { slug: 'huawei-noah', name: "HUAWEI Noah's Ark Lab" }, announcedOn: '2025-11-25', upvotes: 5, location: '003_400f68f659d0b0e8.txt:185' },
  );
  assert.equal(daily.find((r) => r.title.startsWith('Similarity-Distance-Magnitude'))!.authorCount, 1);

  const may = records(seed('004'));
  assert.equal(may[0].title, 'DSP-Reg: Domain-Sensitive Parameter Regularization for Robust Domain Generalization');
  assert.equal(may[0].announcedOn, '2026-01-27');
  const vi = may.find((r) => r.title.startsWith('Variational Inference with Latent Space Quantization'))!;
  assert.deepEqual([vi.announcedOn, vi.upvotes, vi.authorCount], ['2019-03-24', 2, 5]);
  assert.equal(may.find((r) => r.title.startsWith('HeSS:'))!.announcedOn, '2026-03-26');
  assert.equal(records(seed('002')).at(-1)!.title, 'Sketched Ridgeless Linear Regression: The Role of Downsampling');
});
