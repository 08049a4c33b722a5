import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { csrfProtection, csrfToken } from './csrf.ts';

const KEY = 'csrf-test-key-0123456789abcdef0123456789abcdef';

function app() {
  return new Hono()
    .use(csrfProtection({ key: KEY, publicOrigin: 'https://papers.example.org', exempt: (c) => c.req.path === '/hook' }))
    .get('/form', (c) => c.text(csrfToken(c)))
    .get('/plain', (c) => c.text('no form here'))
    .post('/change', (c) => c.text('changed'))
    .put('/change', (c) => c.text('changed'))
    .delete('/change', (c) => c.text('changed'))
    .post('/hook', (c) => c.text('hooked'));
}

/** A visitor's cookie and the token its forms carry. */
async function visit(a: ReturnType<typeof app>, url = 'http://localhost/form') {
  const res = await a.request(url);
  return { token: await res.text(), cookie: res.headers.get('Set-Cookie')!.split(';')[0] };
}

const post = (a: ReturnType<typeof app>, body: string, headers: Record<string, string> = {}, url = 'http://localhost/change', method = 'POST') =>
  a.request(url, { method, body, headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } });

test('a page with a form gets a visitor cookie and is never cached; a page without gets neither', async () => {
  const form = await app().request('/form');
  assert.match(form.headers.get('Set-Cookie')!, /^paperboy_csrf=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
  assert.equal(form.headers.get('Cache-Control'), 'private, no-store');
  const plain = await app().request('/plain');
  assert.equal(plain.headers.get('Set-Cookie'), null);
  assert.equal(plain.headers.get('Cache-Control'), null);
});

test('the form token is a signature of the cookie, not a copy of it', async () => {
  const { token, cookie } = await visit(app());
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(`paperboy_csrf=${token}`, cookie);
});

test('unsafe requests need the cookie and its token in the form or a header', async () => {
  const a = app();
  const { token, cookie } = await visit(a);
  assert.equal((await post(a, `_csrf=${token}`)).status, 403, 'no cookie');
  assert.equal((await post(a, 'x=1', { Cookie: cookie })).status, 403, 'no token');
  assert.equal((await post(a, `_csrf=${'A'.repeat(43)}`, { Cookie: cookie })).status, 403, 'another token');
  assert.equal((await post(a, `_csrf=${token}`, { Cookie: cookie })).status, 200);
  assert.equal((await post(a, '', { Cookie: cookie, 'X-CSRF-Token': token })).status, 200, 'header instead of field');
  for (const method of ['PUT', 'DELETE']) assert.equal((await post(a, '', { Cookie: cookie }, undefined, method)).status, 403, method);
  const multipart = new FormData();
  multipart.set('_csrf', token);
  assert.equal((await a.request('/change', { method: 'POST', body: multipart, headers: { Cookie: cookie } })).status, 200, 'multipart forms too');
});

test('a cookie and field an attacker plants together are refused', async () => {
  const a = app();
  for (const planted of ['x', 'A'.repeat(43), (await visit(a)).cookie.split('=')[1]]) {
    assert.equal((await post(a, `_csrf=${planted}`, { Cookie: `paperboy_csrf=${planted}` })).status, 403, planted);
  }
  const other = await visit(app());
  assert.equal((await post(a, `_csrf=${other.token}`, { Cookie: `paperboy_csrf=x` })).status, 403, "another visitor's token with a planted cookie");
});

test('a request whose Origin is another site is refused, token or not', async () => {
  const a = app();
  const { token, cookie } = await visit(a);
  const form = (origin: string | undefined, url?: string, extra: Record<string, string> = {}) =>
    post(a, `_csrf=${token}`, { Cookie: cookie, ...(origin ? { Origin: origin } : {}), ...extra }, url);
  assert.equal((await form('https://evil.example')).status, 403, 'another site');
  assert.equal((await form('null')).status, 403, 'an opaque origin (sandboxed frame, data: URL)');
  assert.equal((await form('https://papers.example.org.evil.example')).status, 403, 'a look-alike');
  assert.equal((await form('http://papers.example.org')).status, 403, 'the public host over another scheme');
  assert.equal((await form('https://papers.example.org')).status, 200, 'the public origin, whatever Host the proxy sends');
  assert.equal((await form('http://localhost')).status, 200, 'the request’s own origin on localhost');
  assert.equal((await form('http://127.0.0.1:3000', 'http://127.0.0.1:3000/change')).status, 200, 'its own origin by IP address');
  assert.equal((await form('http://localhost:8080')).status, 403, 'another port on localhost is another site');
  assert.equal((await form('http://rebind.example:3000', 'http://rebind.example:3000/change')).status, 403, 'its own origin under a DNS name that is not ours (rebinding)');
  assert.equal((await form(undefined)).status, 200, 'no Origin (an old browser): the token decides');
  assert.equal((await form(undefined, undefined, { 'Sec-Fetch-Site': 'cross-site' })).status, 403, 'cross-site');
  assert.equal((await form(undefined, undefined, { 'Sec-Fetch-Site': 'same-site' })).status, 403, 'a sibling subdomain');
  assert.equal((await form('http://localhost', undefined, { 'Sec-Fetch-Site': 'same-origin' })).status, 200);
  assert.equal((await a.request('/hook', { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status, 200, 'exempt route: no cookie, no token, no Origin');
});
