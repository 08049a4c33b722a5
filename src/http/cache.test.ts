import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { Hono } from 'hono';
import { responseCache, sharedPagesUnchanged } from './cache.ts';
import { allowMathStyles, securityHeaders } from './security.ts';

function counterApp(ttlMs: number) {
  let renders = 0;
  const app = new Hono();
  app.use(securityHeaders());
  app.use(responseCache({ ttlMs, maxEntries: 2 }, /^\/(page|math|missing|private)$/));
  app.get('/page', (c) => c.html(`<p>render ${++renders}</p>`));
  app.get('/math', (c) => {
    allowMathStyles(c);
    return c.html(`<p>math ${++renders}</p>`);
  });
  app.get('/missing', (c) => c.html(`gone ${++renders}`, 404));
  app.get('/assets/x', (c) => c.text(`asset ${++renders}`));
  app.get('/private', (c) => {
    c.header('Cache-Control', 'private');
    return c.text(`private ${++renders}`);
  });
  app.post('/vote', (c) => c.text('ok'));
  app.post('/signin', (c) => {
    sharedPagesUnchanged(c);
    return c.text('ok');
  });
  return app;
}

test('a GET response is reused until it expires; errors and assets are never cached', async () => {
  const app = counterApp(60_000);
  assert.equal(await (await app.request('/page')).text(), '<p>render 1</p>');
  assert.equal(await (await app.request('/page')).text(), '<p>render 1</p>');
  assert.equal(await (await app.request('/page?page=2')).text(), '<p>render 2</p>');
  assert.equal(await (await app.request('/missing')).text(), 'gone 3');
  assert.equal(await (await app.request('/missing')).text(), 'gone 4');
  assert.equal(await (await app.request('/assets/x')).text(), 'asset 5');
  assert.equal(await (await app.request('/assets/x')).text(), 'asset 6');
});

test('requests with credentials and private responses are never cached; a cookie alone is no reason to skip it', async () => {
  const app = counterApp(60_000);
  assert.equal(await (await app.request('/page', { headers: { Authorization: 'Bearer x' } })).text(), '<p>render 1</p>');
  assert.equal(await (await app.request('/page', { headers: { Authorization: 'Bearer x' } })).text(), '<p>render 2</p>');
  assert.equal(await (await app.request('/private')).text(), 'private 3');
  assert.equal(await (await app.request('/private')).text(), 'private 4');
  // Pages render as for nobody while they are cached (auth.ts#renderingShared), so a CSRF cookie changes nothing.
  assert.equal(await (await app.request('/page', { headers: { Cookie: 'paperboy_csrf=1' } })).text(), '<p>render 5</p>');
  assert.equal(await (await app.request('/page', { headers: { Cookie: 'paperboy_csrf=2' } })).text(), '<p>render 5</p>');
});

test('a state-changing request clears the cache; a zero TTL turns it off', async () => {
  const app = counterApp(60_000);
  await app.request('/page');
  await app.request('/vote', { method: 'POST' });
  assert.equal(await (await app.request('/page')).text(), '<p>render 2</p>');
  const off = counterApp(0);
  await off.request('/page');
  assert.equal(await (await off.request('/page')).text(), '<p>render 2</p>');
});

test('cached bodies go out gzipped to clients that accept it, with the page\'s own CSP', async () => {
  const app = counterApp(60_000);
  for (let i = 0; i < 2; i++) {
    const res = await app.request('/math', { headers: { 'Accept-Encoding': 'gzip, br' } });
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.equal(res.headers.get('vary'), 'Accept-Encoding');
    assert.equal(gunzipSync(Buffer.from(await res.arrayBuffer())).toString(), '<p>math 1</p>');
    assert.match(res.headers.get('content-security-policy') ?? '', /style-src-attr 'unsafe-inline'/);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  }
  const plain = await app.request('/page');
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.match(plain.headers.get('content-security-policy') ?? '', /style-src-attr 'none'/);
});

test('a state change that says it leaves shared pages as they are (signing in) keeps the cache; others still clear it', async () => {
  const app = counterApp(60_000);
  await app.request('/page');
  await app.request('/signin', { method: 'POST' });
  assert.equal(await (await app.request('/page')).text(), '<p>render 1</p>');
  await app.request('/vote', { method: 'POST' });
  assert.equal(await (await app.request('/page')).text(), '<p>render 2</p>');
});

test('requests that miss while the page renders wait for that render instead of rendering it again', async () => {
  let renders = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const app = new Hono();
  app.use(responseCache({ ttlMs: 60_000, maxEntries: 2 }, /^\/busy$/));
  app.get('/busy', async (c) => {
    const n = ++renders;
    await gate;
    return c.html(`<p>render ${n}</p>`);
  });
  const answers = Array.from({ length: 5 }, () => app.request('/busy'));
  open();
  const bodies = await Promise.all(answers.map(async (r) => (await r).text()));
  assert.deepEqual(bodies, Array(5).fill('<p>render 1</p>'));
  assert.equal(renders, 1);
});
