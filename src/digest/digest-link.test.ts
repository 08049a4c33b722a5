/**
 * The digest's "And N more — see them all" link opens the search that selects the alert's papers: the same
 * query, the same filters, the days of the digest's window, keyword mode. Followed as a reader would, by
 * requesting the page the link names.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { addFixturePapers, DAY2, mailTestConfig } from '../../test/mail-fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink.ts';
import type { Db } from '../db/database.ts';
import { createApp } from '../http/app.ts';
import { deliverDue } from '../mail/delivery.ts';
import { createMailer } from '../mail/mailer.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { addRecords } from '../papers/papers.service.ts';
import { queryFilter } from '../search/query.ts';
import { addSubscriberDirectly } from '../subscriptions/subscriptions.service.ts';
import { alertFilter, alertSearchQuery } from './alerts.ts';
import { prepareDigests } from './prepare.ts';

const protein = (n: number, day: string, extra: Partial<PaperRecord> = {}): PaperRecord => ({
  source: 'arxiv-atom',
  arxivId: `2607.${String(500 + n).padStart(5, '0')}`,
  title: `Protein folding with language models ${n}`,
  abstract: 'We study protein folding.',
  authors: [`Folder ${n}`],
  categories: ['cs.LG'],
  announcedOn: day,
  upvotes: n,
  ...extra,
});

// In the window (2026-07-01 … 2026-07-03): 14 cs.LG papers on protein folding. Not selected: the same words
// in cs.CL, the same words before the window, and a cs.LG paper on proteins that never mentions folding.
const IN_WINDOW = Array.from({ length: 14 }, (_, i) => protein(i + 1, DAY2));
const OUTSIDE = [
  protein(31, DAY2, { categories: ['cs.CL'] }),
  protein(32, DAY2, { categories: ['cs.CL'] }),
  protein(41, '2026-06-20'),
  protein(42, '2026-06-20'),
  protein(43, '2026-06-29'),
  protein(51, DAY2, { title: 'Protein design without the usual tricks', abstract: 'Proteins, designed.' }),
];

test('the search query of an alert reads back as the alert’s filter', () => {
  const alerts = [
    { query: 'protein folding', category: 'cs.LG', organization: null, author: null },
    { query: null, category: 'cs', organization: 'example-lab', author: 'Ada Lovelace' },
    { query: '"masked autoencoder" -survey', category: null, organization: null, author: 'O"Brien  Smith' },
    { query: 'unbalanced "quote', category: 'cs.CV', organization: null, author: null },
  ];
  for (const a of alerts) assert.deepEqual(queryFilter(alertSearchQuery(a)), alertFilter({ ...a, author: a.author?.replace(/"/g, '') ?? null }), alertSearchQuery(a));
});

describeEachDatabase('digest: see them all', (open) => {
  let db: Db;
  let sink: SmtpSink;
  const config = () => mailTestConfig({ smtpUrl: sink.url });

  before(async () => {
    db = await open();
    sink = await startSmtpSink();
    await addFixturePapers(db);
    await addRecords(db, [...IN_WINDOW, ...OUTSIDE]);
    await addSubscriberDirectly(db.kysely, {
      email: 'folder@example.org',
      confirmed: true,
      timeZone: 'UTC',
      digestSize: 3,
      alerts: [
        { query: 'protein folding', category: 'cs.LG', organization: null, author: null },
        { query: null, category: 'cs.LG', organization: null, author: 'Grace Hopper' },
      ],
    });
    await prepareDigests(db, config().digest, DAY2, { sendNow: true });
    const mailer = createMailer(config().mail);
    try {
      assert.equal((await deliverDue(db, config(), mailer)).sent, 1);
    } finally {
      mailer.close();
    }
  });
  after(async () => {
    await db.close();
    await sink.close();
  });

  /** The search page a "see them all" link opens, as the arXiv ids it lists (a page holds 30, enough here). */
  const follow = async (href: string) => {
    const url = new URL(href.replaceAll('&amp;', '&'));
    assert.equal(url.origin, 'https://papers.example.org');
    const app = createApp({ db, config: config(), now: () => new Date(`${DAY2}T12:00:00Z`) });
    const res = await app.request(url.pathname + url.search);
    assert.equal(res.status, 200);
    const body = await res.text();
    return { url, ids: [...body.matchAll(/<h2>\s*<a href="\/papers\/([^"]+)">/g)].map((m) => m[1]).sort() };
  };
  const links = () => [...sink.received[0].html.matchAll(/And (\d+) more — <a href="([^"]+)"[^>]*>see them all<\/a>/g)].map((m) => ({ more: Number(m[1]), href: m[2] }));

  test('a saved search with a category: the link lists exactly the alert’s papers of the window', async () => {
    const [first] = links();
    assert.equal(first?.more, 4, 'ten listed, four more');
    const { url, ids } = await follow(first.href);
    assert.equal(url.pathname, '/search');
    assert.equal(url.searchParams.get('from'), '2026-07-01');
    assert.equal(url.searchParams.get('to'), DAY2);
    assert.equal(url.searchParams.get('mode'), 'keyword');
    assert.deepEqual(ids, IN_WINDOW.map((p) => p.arxivId).sort());
  });

  test('an alert of filters alone (category and author) gets a link too, listing its papers of the window', async () => {
    const second = links()[1];
    assert.equal(second?.more, 2, 'ten of twelve listed');
    const { ids } = await follow(second.href);
    // Grace Hopper wrote every fixture paper but number 7; the even ones are cs.LG: 2, 4, … 12 on both days.
    const expected = [2, 4, 6, 8, 10, 12, 102, 104, 106, 108, 110, 112].map((n) => `2607.${String(n).padStart(5, '0')}`);
    assert.deepEqual(ids, expected.sort());
  });
});
