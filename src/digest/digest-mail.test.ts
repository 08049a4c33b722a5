/** What the digest mail shows of a paper whose title and abstract hold TeX: readable Unicode text, in both parts. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Paper } from '../papers/paper.ts';
import { digestMail } from './digest-mail.tsx';

const paper: Paper = {
  id: 7, arxivId: '2611.00001', version: 1, doi: null, title: 'GSBAK$^K$: $top$-$K$ Attack', abstract: 'We gain \\textbf{12\\%} with $\\alpha \\le 1$ at \\url{https://x.org/a}.',
  authors: [{ id: 1, name: 'Ada Lovelace' }], authorCount: null, categories: ['cs.LG'], primaryCategory: 'cs.LG', publishedAt: null, updatedAt: null, announcedOn: '2026-11-20',
  comment: null, journalRef: null, organization: null, upvotes: 3, hotness: 0, links: { abs: null, pdf: null, code: null, project: null }, provenance: {},
};

test('a digest shows TeX titles and excerpts as Unicode text in the HTML part, the text part and the preheader', () => {
  const mail = digestMail({ baseUrl: 'https://papers.example.org', key: 'k'.repeat(32) }, { id: 1, email: 'a@example.org' }, { day: '2026-11-20', alerts: [], top: [7] }, new Map([[7, paper]]), 'key');
  assert.match(mail.text, /^1\. GSBAKᴷ: top-K Attack$/m);
  assert.match(mail.html, /mso-hide:all;">GSBAKᴷ: top-K Attack</);
  assert.match(mail.html, />GSBAKᴷ: top-K Attack<\/a>/);
  assert.match(mail.html, />We gain 12% with α ≤ 1 at https:\/\/x\.org\/a\.</);
  assert.doesNotMatch(mail.html + mail.text, /\$|\\textbf|katex/);
});
