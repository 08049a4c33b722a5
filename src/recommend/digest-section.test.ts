import assert from 'node:assert/strict';
import { test } from 'node:test';
import { digestFor, digestPaperIds, type DigestWindow } from '../digest/compose.ts';
import { digestMail } from '../digest/digest-mail.tsx';
import type { SubscriberRow } from '../subscriptions/subscriptions.repo.ts';
import type { Paper } from '../papers/paper.ts';

const paper = (id: number): Paper => ({
  id, arxivId: `2611.0000${id}`, version: 1, doi: null, title: `Paper ${id}`, abstract: 'An abstract.', authors: [{ id: 1, name: 'Ada Lovelace' }], authorCount: null,
  categories: ['cs.LG'], primaryCategory: 'cs.LG', publishedAt: null, updatedAt: null, announcedOn: '2026-11-20', comment: null, journalRef: null, organization: null,
  upvotes: 3, hotness: 0, links: { abs: null, pdf: null, code: null, project: null }, provenance: {},
});

test('the digest’s "Recommended for you": between alerts and trending, never repeating a paper of another section or day, with its reason', async () => {
  const window: DigestWindow = { day: '2026-11-20', from: '2026-11-20', ranked: [1, 2, 3, 4, 5], match: async () => [1] };
  const sub = { id: 1, digest_enabled: 1, digest_size: 3 } as unknown as SubscriberRow;
  const asked: number[][] = [];
  const recommend = async (_w: { from: string; day: string }, taken: ReadonlySet<number>) => {
    asked.push([...taken]);
    return [1, 2, 3].map((id) => ({ id, why: `like “Paper 9” you saved` }));
  };
  const alert = { id: 5, query: 'x', category: null, organization: null, author: null } as never;
  const payload = (await digestFor(sub, [alert], window, new Set([3]), recommend))!;
  assert.deepEqual(asked, [[3, 1]], 'the ranker is told what earlier days and the alerts hold');
  assert.deepEqual(payload.recommended?.map((r) => r.id), [2], 'papers 1 (alert) and 3 (an earlier digest) are not repeated');
  assert.deepEqual(payload.top, [4, 5]);
  assert.deepEqual(new Set(digestPaperIds(payload)).size, digestPaperIds(payload).length);
  const mail = digestMail({ baseUrl: 'https://papers.example.org', key: 'k'.repeat(32) }, { id: 1, email: 'a@example.org' }, payload, new Map([1, 2, 4, 5].map((id) => [id, paper(id)])), 'key');
  assert.match(mail.subject, /1 recommended for you/);
  assert.match(mail.html, /Recommended for you/);
  assert.match(mail.html, /Why: like “Paper 9” you saved/);
  assert.match(mail.text, /RECOMMENDED FOR YOU\n\n\* Paper 2\n[\s\S]*Why: like “Paper 9” you saved/);
});
