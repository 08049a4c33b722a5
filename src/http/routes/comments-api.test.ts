import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Hono } from 'hono';
import { addTestUser, bearerFor } from '../../../test/accounts-fixtures.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { addFixturePapers, mailTestConfig } from '../../../test/mail-fixtures.ts';
import type { Db } from '../../db/database.ts';
import { createApp } from '../app.ts';

describeEachDatabase('comments API: threads on a paper, edits and deletes by their authors — and what others cannot do', (open) => {
  let db: Db;
  let app: Hono;
  const tokens: Record<string, string> = {};

  before(async () => {
    db = await open();
    await addFixturePapers(db);
    app = createApp({ db, config: mailTestConfig(), cacheTtlMs: 0 });
    for (const name of ['ada', 'bob', 'cy', 'dee']) tokens[name] = await bearerFor(db, await addTestUser(db, `${name}@example.org`));
  });
  after(() => db.close());

  const call = async (method: string, path: string, auth?: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (auth) headers.Authorization = auth;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined, text };
  };

  test('comment with math, reply, read the thread back; edit and delete one’s own', async () => {
    const first = await call('POST', '/api/papers/2607.00001/comments', tokens.ada, { body: 'Why is $O(n \\log n)$ *tight*?' });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.json.depth, 0);
    assert.equal(first.json.parent, null);
    assert.match(first.json.html, /class="katex"/, 'math typeset on the server');
    assert.match(first.json.html, /<em>tight<\/em>/);
    assert.match(first.json.url, new RegExp(`^https://papers.example.org/papers/2607.00001#comment-${first.json.id}$`));
    const reply = await call('POST', '/api/papers/2607.00001v2/comments', tokens.bob, { body: 'Because of the lower bound.', parent: first.json.id });
    assert.equal(reply.status, 201, reply.text);
    assert.equal(reply.json.parent, first.json.id);
    assert.equal(reply.json.depth, 1);
    const second = await call('POST', '/api/papers/2607.00001/comments', tokens.cy, { body: 'Another thread' });

    const thread = await call('GET', '/api/papers/2607.00001/comments');
    assert.equal(thread.status, 200);
    assert.deepEqual(thread.json.comments.map((c: { id: number; depth: number }) => [c.id, c.depth]), [[first.json.id, 0], [reply.json.id, 1], [second.json.id, 0]]);
    assert.equal(thread.json.total, 3);

    const edited = await call('PATCH', `/api/comments/${reply.json.id}`, tokens.bob, { body: 'Because of the **lower bound**.' });
    assert.equal(edited.status, 200, edited.text);
    assert.ok(edited.json.editedAt);
    assert.match(edited.json.html, /<strong>lower bound<\/strong>/);

    assert.equal((await call('DELETE', `/api/comments/${first.json.id}`, tokens.ada)).status, 204);
    const after = await call('GET', '/api/papers/2607.00001/comments');
    const gone = after.json.comments.find((c: { id: number }) => c.id === first.json.id);
    assert.deepEqual([gone.state, gone.author, gone.body, gone.html], ['deleted', null, null, null], 'a deleted comment keeps its place for its reply, without its text');
    assert.equal((await call('PATCH', `/api/comments/${first.json.id}`, tokens.ada, { body: 'back' })).status, 404, 'a deleted comment cannot be edited');
  });

  test('bodies are checked with the reason; an unknown paper or parent is refused', async () => {
    const empty = await call('POST', '/api/papers/2607.00002/comments', tokens.ada, { body: '   ' });
    assert.equal(empty.status, 400);
    assert.match(empty.json.error.message, /Write something first\./);
    const long = await call('POST', '/api/papers/2607.00002/comments', tokens.ada, { body: 'x'.repeat(10_001) });
    assert.equal(long.status, 400);
    assert.match(long.json.error.message, /at most 10,000 characters/);
    assert.equal((await call('POST', '/api/papers/2607.00002/comments', tokens.ada, { body: 'hi', extra: 1 })).status, 400, 'unknown fields');
    assert.equal((await call('POST', '/api/papers/2699.99999/comments', tokens.ada, { body: 'hi' })).status, 404);
    const orphan = await call('POST', '/api/papers/2607.00002/comments', tokens.ada, { body: 'hi', parent: 999_999 });
    assert.equal(orphan.status, 400);
    assert.match(orphan.json.error.message, /no such comment on this paper/);
    assert.equal((await call('POST', '/api/papers/2607.00002/comments', 'Bearer pb_unknown', { body: 'hi' })).status, 401);
    assert.equal((await call('POST', '/api/papers/2607.00002/comments', undefined, { body: 'hi' })).status, 403, 'signed out, and no CSRF token');
  });

  test('security: another account cannot change or delete a comment — 404, the same as one that does not exist', async () => {
    const mine = await call('POST', '/api/papers/2607.00003/comments', tokens.dee, { body: 'Dee’s comment' });
    const missing = await call('PATCH', '/api/comments/999999', tokens.cy, { body: 'x' });
    assert.equal(missing.status, 404);
    for (const [method, body] of [['PATCH', { body: 'Taken over' }], ['DELETE', undefined]] as const) {
      const res = await call(method, `/api/comments/${mine.json.id}`, tokens.cy, body);
      assert.equal(res.status, 404, method);
      assert.deepEqual(res.json, missing.json, `${method}: the same answer as a comment that does not exist`);
      assert.equal((await call(method, `/api/comments/${mine.json.id}`, 'Bearer pb_unknown', body)).status, 401);
    }
    const thread = await call('GET', '/api/papers/2607.00003/comments');
    assert.equal(thread.json.comments[0].body, 'Dee’s comment');
  });

  test('raw HTML and script links never pass: the HTML holds no tag or attribute that runs anything', async () => {
    const evil = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[click](javascript:alert(1))', '$\\href{javascript:alert(1)}{x}$'].join('\n\n');
    const made = await call('POST', '/api/papers/2607.00004/comments', tokens.bob, { body: evil });
    assert.equal(made.status, 201, made.text);
    assert.doesNotMatch(made.json.html, /<script|<img|<[^>]*\son\w+=|href="javascript/i);
    assert.match(made.json.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'shown as text');
  });

  test('commenting is rate limited: the sixth comment in a minute is a 429', async () => {
    const user = await bearerFor(db, await addTestUser(db, 'fast@example.org'));
    for (let i = 0; i < 5; i++) assert.equal((await call('POST', '/api/papers/2607.00005/comments', user, { body: `n${i}` })).status, 201);
    const refused = await call('POST', '/api/papers/2607.00005/comments', user, { body: 'one more' });
    assert.equal(refused.status, 429);
    assert.match(refused.json.error.message, /at most five a minute/);
  });
});
