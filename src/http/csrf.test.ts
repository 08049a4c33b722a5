import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { csrfProtection, csrfToken } from './csrf.ts';

function app() {
  return new Hono()
    .use(csrfProtection({ exempt: (c) => c.req.path === '/hook' }))
    .get('/form', (c) => c.text(csrfToken(c)))
    .get('/plain', (c) => c.text('no form here'))
    .post('/change', (c) => c.text('changed'))
    .post('/hook', (c) => c.text('hooked'));
}

test('a page with a form gets a token cookie and is never cached; a page without gets neither', async () => {
  const form = await app().request('/form');
  assert.match(form.headers.get('Set-Cookie')!, /^paperboy_csrf=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
  assert.equal(form.headers.get('Cache-Control'), 'private, no-store');
  const plain = await app().request('/plain');
  assert.equal(plain.headers.get('Set-Cookie'), null);
  assert.equal(plain.headers.get('Cache-Control'), null);
});

test('unsafe requests need the cookie and the same token in the form or a header', async () => {
  const a = app();
  const token = await (await a.request('/form')).text();
  const cookie = `paperboy_csrf=${token}`;
  const form = (body: string, headers: Record<string, string> = {}) =>
    a.request('/change', { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } });
  assert.equal((await form(`_csrf=${token}`)).status, 403, 'no cookie');
  assert.equal((await form('x=1', { Cookie: cookie })).status, 403, 'no token');
  assert.equal((await form(`_csrf=${'A'.repeat(43)}`, { Cookie: cookie })).status, 403, 'another token');
  assert.equal((await form(`_csrf=${token}`, { Cookie: cookie })).status, 200);
  assert.equal((await form('', { Cookie: cookie, 'X-CSRF-Token': token })).status, 200, 'header instead of field');
  assert.equal((await form(`_csrf=${token}`, { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' })).status, 403, 'cross-site is refused');
  const multipart = new FormData();
  multipart.set('_csrf', token);
  assert.equal((await a.request('/change', { method: 'POST', body: multipart, headers: { Cookie: cookie } })).status, 200, 'multipart forms too');
  assert.equal((await a.request('/hook', { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status, 200, 'exempt route');
});
