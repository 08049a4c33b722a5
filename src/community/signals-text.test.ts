/** Votes and submissions where papers are read as text: the digest mail (both parts) and the RSS/Atom feeds. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser } from '../../test/accounts-fixtures.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { addFixturePapers, DAY2, mailTestConfig } from '../../test/mail-fixtures.ts';
import type { Db } from '../db/database.ts';
import { digestMail } from '../digest/digest-mail.tsx';
import { createApp } from '../http/app.ts';
import type { Paper } from '../papers/paper.ts';
import { communityLine } from './signals-text.ts';
import { setVote } from './votes.service.ts';

const paper: Paper = {
  id: 7, arxivId: '2611.00001', version: 1, doi: null, title: 'A paper', abstract: 'Its abstract.',
  authors: [{ id: 1, name: 'Ada Lovelace' }], authorCount: null, categories: ['cs.LG'], primaryCategory: 'cs.LG', publishedAt: null, updatedAt: null, announcedOn: '2026-11-20',
  comment: null, journalRef: null, organization: null, upvotes: 12, localVotes: 3, submission: { by: 'ada', on: '2026-11-20' }, hotness: 0, links: { abs: null, pdf: null, code: null, project: null }, provenance: {},
};

test('one line says the votes, which are which, and who submitted the paper', () => {
  assert.equal(communityLine(paper), '▲ 15 (12 on Hugging Face · 3 here) · submitted by ada');
  assert.equal(communityLine({ ...paper, localVotes: 0, submission: null }), '▲ 12 on Hugging Face');
  assert.equal(communityLine({ ...paper, upvotes: 0, localVotes: 2, submission: null }), '▲ 2 here');
  assert.equal(communityLine({ ...paper, upvotes: 0, localVotes: undefined, submission: null }), undefined);
});

test('the digest shows them in the HTML and the text part', () => {
  const mail = digestMail({ baseUrl: 'https://papers.example.org', key: 'k'.repeat(32) }, { id: 1, email: 'a@example.org' }, { day: '2026-11-20', alerts: [], top: [7] }, new Map([[7, paper]]), 'key');
  assert.match(mail.html, /▲ 15 \(12 on Hugging Face · 3 here\) · submitted by ada/);
  assert.match(mail.text, /▲ 15 \(12 on Hugging Face · 3 here\) · submitted by ada/);
});

describeEachDatabase('feeds carry the votes', (open) => {
  let db: Db;
  before(async () => {
    db = await open();
    await addFixturePapers(db);
    const ada = await addTestUser(db, 'ada@example.org');
    const id = (await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', '2607.00101').executeTakeFirstOrThrow()).id;
    await setVote(db, ada, id, true);
  });
  after(() => db.close());

  test('an item\'s description ends with its votes', async () => {
    const app = createApp({ db, config: mailTestConfig(), cacheTtlMs: 0 });
    const rss = await (await app.request(`/feeds/daily.xml?date=${DAY2}`)).text();
    assert.match(rss, /Abstract of paper 101, about graphs\.\s+▲ 97 \(96 on Hugging Face · 1 here\)<\/description>/);
  });
});
