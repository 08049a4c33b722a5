import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CommentView } from '../../comments/comments.service.ts';
import { COMMENTS_ON_PAGE, CommentsSection } from './comments.tsx';

const view = (id: number, replies: CommentView[] = []): CommentView => ({
  id,
  paperId: 1,
  parentId: null,
  author: { id: 1, name: 'Ada' },
  createdAt: '2026-07-01T10:00:00Z',
  editedAt: null,
  state: 'visible',
  body: `c${id}`,
  html: `<p>c${id}</p>`,
  replies,
});

test('a paper page shows its first comments in reading order, replies under what they answer, and says how many more there are', () => {
  // 80 threads of one comment and one reply each: 160 comments.
  const comments = Array.from({ length: 80 }, (_, i) => view(2 * i + 1, [view(2 * i + 2)]));
  const html = String(CommentsSection({ paper: { id: 1, arxivId: '2607.00001' }, thread: { comments, count: 160, math: false } }));
  assert.equal(html.match(/<article class="comment"/g)?.length, COMMENTS_ON_PAGE);
  assert.match(html, new RegExp(`The first ${COMMENTS_ON_PAGE} of 160 comments are shown here; all of them are at <a href="/api/papers/2607.00001/comments">`));
  assert.match(html, /id="comment-1"[\s\S]*<ol><li><article class="comment" id="comment-2"/);
  assert.doesNotMatch(html, new RegExp(`id="comment-${COMMENTS_ON_PAGE + 1}"`));
});
