import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { addTestUser, bearerFor } from '../../../test/accounts-fixtures.ts';
import { freshSqlite } from '../../../test/databases.ts';
import { loadConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { createApp } from '../app.ts';
import { apiError, apiRouter, errors, json } from './openapi.ts';

// A route of the shape the API's routes have: a path id, a query and a JSON body, each with limits.
const change = createRoute({
  method: 'patch',
  path: '/things/{id}',
  summary: 'Change a thing',
  request: {
    params: z.object({ id: z.coerce.number().int().min(1).max(2 ** 31 - 1) }),
    query: z.object({ dry: z.enum(['1']).optional() }),
    body: { required: true, content: { 'application/json': { schema: z.object({ name: z.string().min(1, 'A thing needs a name.').max(100), note: z.string().max(5).optional() }) } } },
  },
  responses: { 200: json(z.object({ id: z.number(), name: z.string() }), 'Changed.'), ...errors(400, 404) },
});

const things = new OpenAPIHono().route(
  '/api',
  apiRouter().openapi(change, (c) => {
    const { id } = c.req.valid('param');
    return id === 404 ? apiError(c, 404) : c.json({ id, name: c.req.valid('json').name }, 200);
  }),
);

const patch = async (path: string, body: unknown) => {
  const res = await things.request(path, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { error?: { status: number; title: string; message: string } } };
};

test('a failed check answers the API error shape: 400 with the schema’s sentence, or zod’s words after the field', async () => {
  assert.deepEqual(await patch('/api/things/3', { name: 'ok' }), { status: 200, body: { id: 3, name: 'ok' } });
  assert.deepEqual(await patch('/api/things/3', { name: '' }), { status: 400, body: { error: { status: 400, title: 'Bad request', message: 'A thing needs a name.' } } });
  const tooLong = await patch('/api/things/3', { name: 'x', note: 'too long' });
  assert.equal(tooLong.status, 400);
  assert.match(tooLong.body.error!.message, /^note: Too big/);
  assert.match((await patch('/api/things/3?dry=2', { name: 'x' })).body.error!.message, /^dry: /);
});

test('a path value failing its schema is the usual 404, like an unknown id', async () => {
  for (const path of ['/api/things/abc', '/api/things/0', '/api/things/99999999999', '/api/things/404']) {
    const { status, body } = await patch(path, { name: 'x' });
    assert.equal(status, 404, path);
    assert.equal(body.error?.title, 'Not found');
  }
});

let db: Db;
let app: ReturnType<typeof createApp>;
let authorization: string; // `Bearer pb_…`
before(async () => {
  db = await freshSqlite();
  app = createApp({ db, config: { ...loadConfig({}), logLevel: 'silent' }, cacheTtlMs: 0 });
  authorization = await bearerFor(db, await addTestUser(db, 'reader@example.org'));
});
after(async () => db?.close());

test('in the app, a body the validators cannot read says why: not JSON, or malformed', async () => {
  const post = async (body: string, type?: string) => {
    const headers: Record<string, string> = { authorization, ...(type ? { 'content-type': type } : {}) };
    const res = await app.request('/api/follows', { method: 'POST', headers, body });
    return { status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message };
  };
  assert.deepEqual(await post('{"category": ', 'application/json'), { status: 400, message: 'The body is not valid JSON.' });
  assert.deepEqual(await post('category=cs.LG', 'application/x-www-form-urlencoded'), { status: 400, message: 'The body must be JSON, sent with Content-Type: application/json.' });
  assert.equal((await post('{"category": "not a category!"}', 'application/json')).status, 400);
});
