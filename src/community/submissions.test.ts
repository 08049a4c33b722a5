import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser } from '../../test/accounts-fixtures.ts';
import { type ArxivStandIn, startArxivStandIn } from '../../test/arxiv-stand-in.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import type { User } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import { getPapers } from '../papers/papers.repo.ts';
import { addRecords } from '../papers/papers.service.ts';
import { arxivLookup, type ArxivLookup } from './arxiv-lookup.ts';
import { communityPicks } from './picks.service.ts';
import { setVote } from './votes.service.ts';
import { parseSubmission, SUBMIT_LIMIT, submitPaper } from './submissions.service.ts';

test('a submission names an arXiv paper by id or by its abs or pdf URL, versioned or not', () => {
  const cases: [string, string | undefined][] = [
    ['2206.06921', '2206.06921'],
    ['  2206.06921v3 ', '2206.06921'],
    ['arXiv:2206.06921', '2206.06921'],
    ['https://arxiv.org/abs/2206.06921', '2206.06921'],
    ['https://arxiv.org/abs/2206.06921v2', '2206.06921'],
    ['http://arxiv.org/pdf/2206.06921v1.pdf', '2206.06921'],
    ['https://arxiv.org/pdf/2206.06921', '2206.06921'],
    ['arxiv.org/abs/2206.06921/', '2206.06921'],
    ['https://www.arxiv.org/abs/2206.06921?context=math', '2206.06921'],
    ['https://export.arxiv.org/abs/hep-th/9901001v1', 'hep-th/9901001'],
    ['https://arxiv.org/html/2206.06921v3#S2', '2206.06921'],
    ['https://evil.example/abs/2206.06921', undefined],
    ['2206.069', undefined],
    ['javascript:alert(1)', undefined],
    ['', undefined],
  ];
  for (const [input, id] of cases) assert.equal(parseSubmission(input)?.id, id, input);
});

describeEachDatabase('submitting a paper from arXiv', (open) => {
  let db: Db;
  let arxiv: ArxivStandIn;
  let lookup: ArxivLookup;
  let ada: User;
  let bob: User;
  const today = new Date('2026-07-06T09:30:00Z');
  before(async () => {
    db = await open();
    arxiv = await startArxivStandIn();
    lookup = arxivLookup({ apiUrl: arxiv.apiUrl, intervalMs: 0, contact: undefined }, { retries: 0, timeoutMs: 5000 });
    ada = await addTestUser(db, 'ada@example.org');
    bob = await addTestUser(db, 'bob@example.org');
    await addRecords(db, [{ source: 'arxiv-atom', arxivId: '2607.00001', title: 'Already in the store', announcedOn: '2026-07-02' }]);
  });
  after(async () => {
    await arxiv.close();
    await db.close();
  });

  const paperCount = async () => Number((await db.kysely.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  test('an unknown paper is fetched through the arXiv API, stored once, and marked as submitted by its submitter', async () => {
    const before = await paperCount();
    const r = await submitPaper(db, lookup, ada, 'https://arxiv.org/abs/2206.06921v2', today);
    assert.equal(r.status, 'ok');
    if (r.status !== 'ok') return;
    assert.deepEqual({ ...r, paperId: undefined }, { status: 'ok', paperId: undefined, arxivId: '2206.06921', added: true, marked: true, submission: { by: 'ada', on: '2026-07-06' } });
    assert.deepEqual(arxiv.asked(), ['2206.06921']);
    assert.equal(await paperCount(), before + 1);
    const [paper] = await getPapers(db.kysely, [r.paperId]);
    assert.equal(paper.title, 'Attainable forms of Assouad spectra');
    assert.equal(paper.doi, '10.1512/iumj.2024.73.9928');
    assert.deepEqual(paper.submission, { by: 'ada', on: '2026-07-06' });
  });

  test('submitting it again (another spelling, another account) adds no row and keeps the first mark', async () => {
    const before = await paperCount();
    const r = await submitPaper(db, lookup, bob, 'http://arxiv.org/pdf/2206.06921v1.pdf', new Date('2026-07-07T10:00:00Z'));
    assert.equal(r.status, 'ok');
    if (r.status !== 'ok') return;
    assert.equal(r.added, false);
    assert.equal(r.marked, false);
    assert.deepEqual(r.submission, { by: 'ada', on: '2026-07-06' });
    assert.equal(await paperCount(), before);
    assert.deepEqual(arxiv.asked(), ['2206.06921'], 'a known paper is not fetched again');
  });

  test('a paper already in the store gets the submission mark without a fetch', async () => {
    const r = await submitPaper(db, lookup, bob, '2607.00001', today);
    assert.equal(r.status, 'ok');
    if (r.status !== 'ok') return;
    assert.deepEqual([r.added, r.marked, r.submission], [false, true, { by: 'bob', on: '2026-07-06' }]);
    assert.deepEqual(arxiv.asked(), ['2206.06921']);
  });

  test('what arXiv does not have is said so, and what cannot be read is refused; nothing is stored', async () => {
    const before = await paperCount();
    assert.deepEqual(await submitPaper(db, lookup, ada, '1201.56789', today), { status: 'not-on-arxiv', arxivId: '1201.56789' });
    assert.deepEqual(await submitPaper(db, lookup, ada, 'not a paper', today), { status: 'invalid' });
    arxiv.down = true;
    const down = await submitPaper(db, lookup, ada, '2201.13452', today);
    arxiv.down = false;
    assert.equal(down.status, 'unavailable');
    assert.equal(await paperCount(), before);
    const later = await submitPaper(db, lookup, ada, '2201.13452', today);
    assert.equal(later.status === 'ok' && later.added, true, 'works once arXiv answers again');
  });

  test('the day\'s community picks: papers submitted or upvoted that day, most activity first', async () => {
    const ids = Object.fromEntries((await db.kysely.selectFrom('papers').select(['id', 'arxiv_id']).execute()).map((r) => [r.arxiv_id, r.id]));
    await setVote(db, ada, ids['2607.00001'], true, new Date('2026-07-06T12:00:00Z'));
    await setVote(db, bob, ids['2206.06921'], true, new Date('2026-07-07T12:00:00Z'));
    const monday = await communityPicks(db, { from: '2026-07-06', until: '2026-07-06' }, {}, 10);
    // 2607.00001: submitted and upvoted on the 6th; 2206.06921 and 2201.13452 submitted on the 6th, the hotter first.
    assert.deepEqual(monday, [ids['2607.00001'], ids['2206.06921'], ids['2201.13452']]);
    assert.deepEqual(await communityPicks(db, { from: '2026-07-07' }, {}, 10), [ids['2206.06921']], 'an open range: from that day on');
    assert.deepEqual(await communityPicks(db, { from: '2026-07-06', until: '2026-07-06' }, { categories: ['math.CA'] }, 10), [ids['2206.06921']], 'through the paper filter');
    assert.deepEqual(await communityPicks(db, { from: '2026-07-08' }, {}, 10), []);
  });

  test('submitting is rate limited per account', async () => {
    const eve = await addTestUser(db, 'eve@example.org');
    for (let i = 0; i < SUBMIT_LIMIT.max; i++) assert.equal((await submitPaper(db, lookup, eve, '2607.00001', today)).status, 'ok');
    assert.equal((await submitPaper(db, lookup, eve, '2607.00001', today)).status, 'rate-limited');
  });
});
