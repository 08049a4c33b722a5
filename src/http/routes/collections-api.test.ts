import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Hono } from 'hono';
import { addTestUser, bearerFor } from '../../../test/accounts-fixtures.ts';
import { startArxivStandIn, type ArxivStandIn } from '../../../test/arxiv-stand-in.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { addFixturePapers, mailTestConfig } from '../../../test/mail-fixtures.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { createApp } from '../app.ts';

describeEachDatabase('collections API: /api/collections, its papers, imports — and what others cannot do', (open) => {
  let db: Db;
  let app: Hono;
  let arxiv: ArxivStandIn;
  let config: Config;
  let ada: string;
  let bob: string;

  before(async () => {
    db = await open();
    arxiv = await startArxivStandIn();
    await addFixturePapers(db);
    const base = mailTestConfig();
    config = { ...base, sources: { ...base.sources, arxivApiUrl: arxiv.apiUrl, arxivIntervalMs: 0 } };
    app = createApp({ db, config, cacheTtlMs: 0 });
    ada = await bearerFor(db, await addTestUser(db, 'ada@example.org'));
    bob = await bearerFor(db, await addTestUser(db, 'bob@example.org'));
  });
  after(async () => {
    await arxiv.close();
    await db.close();
  });

  const call = async (method: string, path: string, auth?: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (auth) headers.Authorization = auth;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined, text };
  };
  const create = async (auth: string, body: Record<string, unknown>) => {
    const made = await call('POST', '/api/collections', auth, body);
    assert.equal(made.status, 201, made.text);
    return made.json as { id: string; url: string; visibility: string };
  };

  test('make a collection, add papers with notes, read it back, change and delete it', async () => {
    const made = await create(ada, { name: 'Graph papers', description: 'For Tuesday', visibility: 'private' });
    assert.match(made.id, /^[A-Za-z0-9_-]{16}$/);
    assert.equal(made.url, `https://papers.example.org/collections/${made.id}`);
    const added = await call('POST', `/api/collections/${made.id}/papers`, ada, { paper: '2607.00001v1', note: 'Start here' });
    assert.equal(added.status, 200, added.text);
    assert.equal(added.json.status, 'added');
    assert.equal((await call('POST', `/api/collections/${made.id}/papers`, ada, { paper: 'https://arxiv.org/abs/2607.00002' })).json.status, 'added');
    assert.equal((await call('POST', `/api/collections/${made.id}/papers`, ada, { paper: '2607.00001', note: 'Read first' })).json.status, 'updated');
    const read = await call('GET', `/api/collections/${made.id}`, ada);
    assert.equal(read.status, 200);
    assert.equal(read.json.collection.name, 'Graph papers');
    assert.equal(read.json.collection.paperCount, 2);
    assert.deepEqual(read.json.papers.map((p: { paper: { arxivId: string }; note: string }) => [p.paper.arxivId, p.note]), [
      ['2607.00002', ''],
      ['2607.00001', 'Read first'],
    ]);
    const mine = await call('GET', '/api/collections', ada);
    assert.deepEqual(mine.json.collections.map((c: { id: string }) => c.id), [made.id]);
    const changed = await call('PATCH', `/api/collections/${made.id}`, ada, { visibility: 'unlisted', name: 'Graphs' });
    assert.equal(changed.status, 200);
    assert.deepEqual([changed.json.name, changed.json.visibility], ['Graphs', 'unlisted']);
    assert.equal((await call('DELETE', `/api/collections/${made.id}/papers`, ada, { paper: '2607.00002' })).status, 204);
    assert.equal((await call('GET', `/api/collections/${made.id}`, ada)).json.collection.paperCount, 1);
    assert.equal((await call('DELETE', `/api/collections/${made.id}`, ada)).status, 204);
    assert.equal((await call('GET', `/api/collections/${made.id}`, ada)).status, 404);
  });

  test('bodies are checked, with the reason: names, visibility, notes, unknown fields, unknown papers', async () => {
    assert.match((await call('POST', '/api/collections', ada, { name: '' })).json.error.message, /needs a name/);
    assert.match((await call('POST', '/api/collections', ada, { name: 'x'.repeat(101) })).json.error.message, /at most 100/);
    assert.match((await call('POST', '/api/collections', ada, { name: 'ok', visibility: 'secret' })).json.error.message, /private, unlisted or public/);
    assert.equal((await call('POST', '/api/collections', ada, { name: 'ok', owner: 1 })).status, 400);
    const made = await create(ada, { name: 'Checks' });
    assert.match((await call('POST', `/api/collections/${made.id}/papers`, ada, { paper: '2607.00001', note: 'n'.repeat(1001) })).json.error.message, /at most 1000/);
    assert.equal((await call('POST', `/api/collections/${made.id}/papers`, ada, { paper: '9999.99999' })).status, 404, 'a paper the store does not have');
    assert.equal((await call('PATCH', `/api/collections/${made.id}`, ada, {})).status, 400);
    assert.equal((await call('GET', '/api/collections')).status, 401);
  });

  test('security: another account cannot read, change or delete a private collection, nor touch its papers — all 404', async () => {
    const secret = await create(ada, { name: 'Secret', visibility: 'private' });
    await call('POST', `/api/collections/${secret.id}/papers`, ada, { paper: '2607.00003', note: 'my private note' });
    const missing = await call('GET', '/api/collections/AAAAAAAAAAAAAAAA', bob);
    assert.equal(missing.status, 404);
    for (const [method, path, body] of [
      ['GET', `/api/collections/${secret.id}`, undefined],
      ['PATCH', `/api/collections/${secret.id}`, { name: 'Mine now' }],
      ['DELETE', `/api/collections/${secret.id}`, undefined],
      ['POST', `/api/collections/${secret.id}/papers`, { paper: '2607.00004' }],
      ['DELETE', `/api/collections/${secret.id}/papers`, { paper: '2607.00003' }],
    ] as const) {
      for (const who of [bob, undefined]) {
        const res = await call(method, path, who, body);
        // Signed out, a state change is refused before anything is looked up (no CSRF token: 403; else 401).
        if (method !== 'GET' && !who) assert.ok([401, 403].includes(res.status), `${method} ${path} by nobody: ${res.status}`);
        else assert.equal(res.status, 404, `${method} ${path} by ${who ? 'bob' : 'nobody'}`);
        if (res.status === 404) assert.deepEqual(res.json, missing.json, 'exactly what a collection that does not exist answers');
        assert.doesNotMatch(res.text, /Secret|private note/);
      }
    }
    const still = await call('GET', `/api/collections/${secret.id}`, ada);
    assert.equal(still.json.collection.name, 'Secret');
    assert.deepEqual(still.json.papers.map((p: { note: string }) => p.note), ['my private note']);
    assert.ok(!(await call('GET', '/api/collections', bob)).json.collections.some((c: { id: string }) => c.id === secret.id));
  });

  test('unlisted and public collections are readable by anyone with the id, changeable by their owner only', async () => {
    for (const visibility of ['unlisted', 'public']) {
      const shared = await create(ada, { name: `Shared ${visibility}`, visibility });
      await call('POST', `/api/collections/${shared.id}/papers`, ada, { paper: '2607.00005', note: 'a shared note' });
      for (const who of [bob, undefined]) {
        const read = await call('GET', `/api/collections/${shared.id}`, who);
        assert.equal(read.status, 200);
        assert.equal(read.json.papers[0].note, 'a shared note');
        assert.equal(read.json.collection.owner, 'ada');
      }
      assert.equal((await call('PATCH', `/api/collections/${shared.id}`, bob, { name: 'Taken' })).status, 404);
      assert.equal((await call('DELETE', `/api/collections/${shared.id}`, bob)).status, 404);
      assert.equal((await call('POST', `/api/collections/${shared.id}/papers`, bob, { paper: '2607.00006' })).status, 404);
    }
  });

  test('import a BibTeX file through the API: matched, fetched from the arXiv stand-in, and the unmatched listed', async () => {
    const made = await create(ada, { name: 'Imported' });
    const form = new FormData();
    form.set('file', new Blob([readFileSync(new URL('../../../test/fixtures/references/reading-group.bib', import.meta.url))]), 'reading-group.bib');
    const res = await app.request(`/api/collections/${made.id}/import`, { method: 'POST', headers: { Authorization: ada }, body: form });
    assert.equal(res.status, 200, await res.clone().text());
    const result = await res.json();
    assert.equal(result.format, 'bibtex');
    assert.equal(result.added.length, 3, 'the DOI-only journal paper is not in this store');
    assert.deepEqual(result.unmatched.map((u: { label: string; reason: string }) => [u.label, u.reason]), [
      ['Sparse Graphs at Scale', 'not-found'],
      ['A Book Nobody Here Has Read', 'not-found'],
    ]);
    assert.ok(result.added.some((a: { matchedBy: string; paper: { arxivId: string } }) => a.matchedBy === 'fetched' && a.paper.arxivId === '2206.06921'));
    const other = new FormData();
    other.set('file', new Blob(['@misc{x, title={Paper 7 on graph learning}}']), 'x.bib');
    assert.equal((await app.request(`/api/collections/${made.id}/import`, { method: 'POST', headers: { Authorization: bob }, body: other })).status, 404, 'not into someone else’s');
    const bad = new FormData();
    bad.set('file', new Blob(['hello']), 'notes.txt');
    const refused = await app.request(`/api/collections/${made.id}/import`, { method: 'POST', headers: { Authorization: ada }, body: bad });
    assert.equal(refused.status, 400);
    assert.match((await refused.json()).error.message, /not a BibTeX, RIS or CSL-JSON file/);
  });
});
